namespace TransferLearning.Training;

/// <summary>What one epoch logged: training figures (<c>loss</c>, <c>accuracy</c>, ...) and validation ones (<c>val_loss</c>, ...).</summary>
/// <param name="Phase">The phase's name.</param>
/// <param name="Epoch">1-based epoch over the whole run.</param>
/// <param name="PhaseEpoch">1-based epoch within the phase.</param>
/// <param name="Values">Every logged figure by Keras-style name.</param>
/// <param name="Seconds">Wall time of the epoch, validation included.</param>
/// <param name="ImagesPerSecond">Training images processed per second.</param>
public sealed record EpochLog(string Phase, int Epoch, int PhaseEpoch, IReadOnlyDictionary<string, double> Values, double Seconds, double ImagesPerSecond);
