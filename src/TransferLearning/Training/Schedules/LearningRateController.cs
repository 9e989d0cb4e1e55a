using TorchSharp;
using TransferLearning.Spec;
using TransferLearning.Training.Callbacks;

namespace TransferLearning.Training.Schedules;

/// <summary>
/// Sets the optimizer's learning rate before every batch of a phase: a pure function of progress
/// (constant, cosine with linear warm-up, step) times a plateau factor that Keras' <c>ReduceLROnPlateau</c>
/// rule lowers at epoch ends.
/// </summary>
public sealed class LearningRateController(LearningRateScheduleSpec spec, double baseRate, int epochs, int stepsPerEpoch)
{
    private readonly MetricMonitor? _plateau = spec.Kind == ScheduleKind.ReduceOnPlateau ? new MetricMonitor(spec.Monitor, MonitorMode.Auto) : null;
    private double _factor = 1;
    private int _wait;

    /// <summary>The rate for global step <paramref name="step"/> (0-based within the phase).</summary>
    public double RateAt(int step) => Math.Max(spec.MinLearningRate, ScheduleAt(step) * _factor);

    /// <summary>Writes <see cref="RateAt"/> into every parameter group of <paramref name="optimizer"/>; returns it.</summary>
    public double Apply(torch.optim.Optimizer optimizer, int step)
    {
        var rate = RateAt(step);
        foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
        return rate;
    }

    /// <summary>At an epoch end: with reduce-on-plateau, cut the rate by gamma after <c>patience</c> epochs without improvement.</summary>
    public void EndEpoch(EpochLog log)
    {
        if (_plateau is null) return;
        if (_plateau.Update(log)) { _wait = 0; return; }
        if (++_wait >= spec.Patience)
        {
            _factor *= spec.Gamma;
            _wait = 0;
        }
    }

    private double ScheduleAt(int step)
    {
        double epoch = (double)step / Math.Max(1, stepsPerEpoch);
        switch (spec.Kind)
        {
            case ScheduleKind.Cosine:
                if (epoch < spec.WarmupEpochs) return baseRate * (step + 1) / (spec.WarmupEpochs * stepsPerEpoch);
                double span = Math.Max(1e-9, epochs - spec.WarmupEpochs);
                double progress = Math.Clamp((epoch - spec.WarmupEpochs) / span, 0, 1);
                return spec.MinLearningRate + (baseRate - spec.MinLearningRate) * 0.5 * (1 + Math.Cos(Math.PI * progress));
            case ScheduleKind.Step:
                return baseRate * Math.Pow(spec.Gamma, Math.Floor(epoch / spec.StepEpochs));
            default:
                return baseRate;
        }
    }
}
