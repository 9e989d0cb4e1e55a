using TorchSharp;
using TorchSharp.Modules;
using TransferLearning.Spec;
using static TorchSharp.torch;

namespace TransferLearning.Training;

/// <summary>Builds the spec's optimizer with Keras' defaults (Adam/RMSprop epsilon 1e-7, RMSprop rho 0.9, AdamW weight decay 0.004).</summary>
public static class OptimizerFactory
{
    /// <summary>An optimizer over <paramref name="parameters"/> at <paramref name="learningRate"/>.</summary>
    public static OptimizerHelper Create(IEnumerable<Parameter> parameters, TrainingSpec spec, double learningRate)
    {
        var list = parameters.ToList();
        return spec.Optimizer switch
        {
            OptimizerKind.Adam => optim.Adam(list, learningRate, 0.9, 0.999, 1e-7, spec.WeightDecay ?? 0),
            OptimizerKind.AdamW => optim.AdamW(list, learningRate, 0.9, 0.999, 1e-7, spec.WeightDecay ?? 0.004),
            OptimizerKind.Sgd => optim.SGD(list, learningRate, spec.Momentum, 0, spec.WeightDecay ?? 0, spec.Nesterov),
            _ => optim.RMSProp(list, learningRate, 0.9, 1e-7, spec.WeightDecay ?? 0, spec.Momentum),
        };
    }
}
