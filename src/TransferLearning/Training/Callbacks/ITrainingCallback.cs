namespace TransferLearning.Training.Callbacks;

/// <summary>Hooks the <see cref="Trainer"/> calls; each does one job (stop early, keep the best, print, save).</summary>
public interface ITrainingCallback
{
    /// <summary>A phase starts.</summary>
    void OnPhaseBegin(TrainingPhase phase, TrainingContext context) { }

    /// <summary>A training batch finished.</summary>
    void OnBatchEnd(BatchLog log) { }

    /// <summary>An epoch finished (validation included); set <see cref="TrainingContext.StopPhase"/> to end the phase.</summary>
    void OnEpochEnd(EpochLog log, TrainingContext context) { }

    /// <summary>A phase ended (all epochs, early stop or cancellation).</summary>
    void OnPhaseEnd(TrainingPhase phase, TrainingContext context) { }
}

/// <summary>Progress within an epoch.</summary>
/// <param name="Phase">The phase's name.</param>
/// <param name="Epoch">1-based epoch within the phase.</param>
/// <param name="Batch">1-based batch index.</param>
/// <param name="Batches">Batches in the epoch.</param>
/// <param name="Images">Images done in this epoch.</param>
/// <param name="Loss">Running mean training loss.</param>
/// <param name="Accuracy">Running training accuracy.</param>
/// <param name="ImagesPerSecond">Throughput so far in this epoch.</param>
public sealed record BatchLog(string Phase, int Epoch, int Batch, int Batches, int Images, double Loss, double Accuracy, double ImagesPerSecond);
