using TransferLearning.Spec;

namespace TransferLearning.Training;

/// <summary>What the <see cref="Trainer"/> needs beyond the model and the data; built from the spec by the caller.</summary>
public sealed record TrainerOptions
{
    /// <summary>The spec's training section (optimizer, batch size, loss options).</summary>
    public required TrainingSpec Training { get; init; }

    /// <summary>BatchNorm behaviour for trainable layers.</summary>
    public BatchNormMode BatchNorm { get; init; } = BatchNormMode.Frozen;

    /// <summary>Metrics to log besides loss and accuracy.</summary>
    public IReadOnlyList<string> Metrics { get; init; } = ["accuracy"];

    /// <summary>Class names, in label order.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>Per-class loss weights, or null.</summary>
    public double[]? ClassWeights { get; init; }

    /// <summary>Seed for shuffling (torch's own seed is set by the caller).</summary>
    public int Seed { get; init; }

    /// <summary>Memory for cached activations, in bytes.</summary>
    public long CacheBudgetBytes { get; init; } = 2L << 30;

    /// <summary>
    /// Builds a fresh copy of the backbone for frozen layers to run in bfloat16 (mixed precision), or null for float32.
    /// </summary>
    public Func<Models.Backbone>? MixedPrecisionBackbone { get; init; }

    /// <summary>Log lines (cache decisions, unfrozen layers).</summary>
    public Action<string> Log { get; init; } = _ => { };
}
