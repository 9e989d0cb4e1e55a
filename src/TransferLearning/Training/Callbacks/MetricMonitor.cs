using TransferLearning.Spec;

namespace TransferLearning.Training.Callbacks;

/// <summary>
/// Tracks the best value of one logged quantity, as Keras' <c>MonitorCallback</c>: the best starts at
/// +/- infinity, <c>auto</c> mode maximises names containing accuracy, precision, recall, f1 or auc and
/// minimises the rest, and an improvement must beat the best by more than <c>min_delta</c>.
/// </summary>
public sealed class MetricMonitor
{
    private static readonly string[] Maximised = ["accuracy", "precision", "recall", "f1", "auc"];
    private readonly double _minDelta;

    /// <summary>Monitors <paramref name="monitor"/> in direction <paramref name="mode"/>.</summary>
    public MetricMonitor(string monitor, MonitorMode mode, double minDelta = 0)
    {
        Monitor = monitor;
        Maximise = mode == MonitorMode.Max || (mode == MonitorMode.Auto && Maximised.Any(monitor.Contains));
        _minDelta = Math.Abs(minDelta);
        Reset();
    }

    /// <summary>The monitored key, e.g. <c>val_loss</c>.</summary>
    public string Monitor { get; }

    /// <summary>True when larger is better.</summary>
    public bool Maximise { get; }

    /// <summary>The best value seen since <see cref="Reset"/>.</summary>
    public double Best { get; private set; }

    /// <summary>The epoch that held the best value, or null.</summary>
    public EpochLog? BestEpoch { get; private set; }

    /// <summary>Forgets the best (at the start of each phase).</summary>
    public void Reset()
    {
        Best = Maximise ? double.NegativeInfinity : double.PositiveInfinity;
        BestEpoch = null;
    }

    /// <summary>Sets the best back to a saved value (when a run resumes).</summary>
    public void Restore(double best, EpochLog? bestEpoch)
    {
        Best = best;
        BestEpoch = bestEpoch;
    }

    /// <summary>Records <paramref name="log"/>; true when its value improves on the best by more than min_delta.</summary>
    /// <exception cref="KeyNotFoundException">The monitored key is not logged; the message lists what is.</exception>
    public bool Update(EpochLog log)
    {
        if (!log.Values.TryGetValue(Monitor, out var value))
            throw new KeyNotFoundException($"monitor \"{Monitor}\" is not logged; available: {string.Join(", ", log.Values.Keys)}.");
        bool improved = Maximise ? value - _minDelta > Best : value + _minDelta < Best;
        if (improved)
        {
            Best = value;
            BestEpoch = log;
        }
        return improved;
    }
}
