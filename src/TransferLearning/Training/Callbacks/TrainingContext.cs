using TransferLearning.Models;

namespace TransferLearning.Training.Callbacks;

/// <summary>What callbacks may see and change during training.</summary>
public sealed class TrainingContext(TransferModel model, TrainingHistory history, TorchSharp.Modules.OptimizerHelper optimizer)
{
    /// <summary>The phase's optimizer (its state is saved for resuming).</summary>
    public TorchSharp.Modules.OptimizerHelper Optimizer { get; } = optimizer;

    /// <summary>The model being trained.</summary>
    public TransferModel Model { get; } = model;

    /// <summary>Every epoch so far.</summary>
    public TrainingHistory History { get; } = history;

    /// <summary>Set by a callback to end the current phase after this epoch.</summary>
    public bool StopPhase { get; set; }

    /// <summary>Why the phase stopped early, for the log.</summary>
    public string? StopReason { get; set; }
}
