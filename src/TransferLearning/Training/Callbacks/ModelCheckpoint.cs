using TransferLearning.Models;
using TransferLearning.Spec;

namespace TransferLearning.Training.Callbacks;

/// <summary>
/// Keras' <c>ModelCheckpoint</c>: keeps the best model by the monitored quantity across the whole run
/// (like Keras, the best is not reset between phases), in memory and through <paramref name="save"/>
/// (which writes atomically). With <c>save_best_only=false</c> the latest epoch is saved too.
/// </summary>
public sealed class ModelCheckpoint(CheckpointSpec spec, Action<TransferModel, string>? save) : ITrainingCallback, IDisposable
{
    /// <summary>File name of the best model.</summary>
    public const string BestFile = "best.dat";

    /// <summary>File name of the latest epoch's model.</summary>
    public const string LastFile = "last.dat";

    private readonly MetricMonitor _monitor = new(spec.Monitor, spec.Mode);
    private WeightSnapshot? _best;

    /// <summary>The monitor, with the best value and epoch so far.</summary>
    public MetricMonitor Monitor => _monitor;

    /// <inheritdoc/>
    public void OnEpochEnd(EpochLog log, TrainingContext context)
    {
        if (_monitor.Update(log))
        {
            _best?.Dispose();
            _best = WeightSnapshot.Take(context.Model);
            save?.Invoke(context.Model, BestFile);
        }
        if (!spec.SaveBestOnly) save?.Invoke(context.Model, LastFile);
    }

    /// <summary>Puts the best weights seen so far back into <paramref name="model"/>; false when there are none yet.</summary>
    public bool RestoreBest(TransferModel model)
    {
        if (_best is null) return false;
        _best.Restore(model);
        return true;
    }

    /// <summary>Continues a resumed run: the best value and epoch, and the best weights read back from disk.</summary>
    public void Resume(double best, EpochLog? bestEpoch, WeightSnapshot? bestWeights)
    {
        _monitor.Restore(best, bestEpoch);
        _best?.Dispose();
        _best = bestWeights;
    }

    /// <summary>A copy of the best weights, or null.</summary>
    public WeightSnapshot? BestWeights => _best;

    /// <inheritdoc/>
    public void Dispose() => _best?.Dispose();
}
