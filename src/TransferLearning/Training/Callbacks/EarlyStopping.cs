using TransferLearning.Spec;

namespace TransferLearning.Training.Callbacks;

/// <summary>
/// Keras' <c>EarlyStopping</c>, per phase: stops when the monitored quantity has not improved for
/// <c>patience</c> epochs and, with <c>restore_best_weights</c>, puts the best epoch's weights back
/// (whenever the phase ends, as Keras does when training stops).
/// </summary>
public sealed class EarlyStopping(EarlyStoppingSpec spec) : ITrainingCallback, IDisposable
{
    private readonly MetricMonitor _monitor = new(spec.Monitor, spec.Mode, spec.MinDelta);
    private WeightSnapshot? _best;
    private int _wait;

    /// <inheritdoc/>
    public void OnPhaseBegin(TrainingPhase phase, TrainingContext context)
    {
        _monitor.Reset();
        _wait = 0;
        _best?.Dispose();
        _best = null;
    }

    /// <inheritdoc/>
    public void OnEpochEnd(EpochLog log, TrainingContext context)
    {
        if (_monitor.Update(log))
        {
            _wait = 0;
            if (spec.RestoreBestWeights)
            {
                _best?.Dispose();
                _best = WeightSnapshot.Take(context.Model);
            }
            return;
        }
        if (++_wait >= spec.Patience)
        {
            context.StopPhase = true;
            context.StopReason = $"early stopping: {spec.Monitor} did not improve for {_wait} epoch(s); best {_monitor.Best:F4} at epoch {_monitor.BestEpoch?.Epoch}";
        }
    }

    /// <summary>Epochs since the last improvement.</summary>
    public int Wait => _wait;

    /// <summary>The monitor (best value and epoch).</summary>
    public MetricMonitor Monitor => _monitor;

    /// <summary>Continues a resumed phase: the best so far, the epochs waited, and the weights to restore at the end (if any).</summary>
    public void Resume(double best, EpochLog? bestEpoch, int wait, WeightSnapshot? bestWeights)
    {
        _monitor.Restore(best, bestEpoch);
        _wait = wait;
        _best?.Dispose();
        _best = bestWeights;
    }

    /// <inheritdoc/>
    public void OnPhaseEnd(TrainingPhase phase, TrainingContext context)
    {
        if (spec.RestoreBestWeights && _best is not null && _monitor.BestEpoch?.Epoch != context.History.Epochs[^1].Epoch)
            _best.Restore(context.Model);
    }

    /// <inheritdoc/>
    public void Dispose() => _best?.Dispose();
}
