using TransferLearning.Training.Callbacks;

namespace TransferLearning;

/// <summary>How <see cref="Experiment.Run"/> reports and where it writes; the spec says what to train.</summary>
public sealed record RunOptions
{
    /// <summary>Run folder; null: a new timestamped folder under <c>runs/</c> beside the spec.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Continue the run in <see cref="OutputDirectory"/> (or the newest under <c>runs/</c>) from its last completed epoch.</summary>
    public bool Resume { get; init; }

    /// <summary>Log lines (decisions, warnings, per-epoch summaries).</summary>
    public Action<string> Log { get; init; } = _ => { };

    /// <summary>Extra callbacks, e.g. a progress display.</summary>
    public IReadOnlyList<ITrainingCallback> Callbacks { get; init; } = [];

    /// <summary>Stops training cleanly after the current batch; the best model and the report are still written.</summary>
    public CancellationToken Cancellation { get; init; }
}
