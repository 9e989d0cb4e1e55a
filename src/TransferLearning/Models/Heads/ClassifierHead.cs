using TorchSharp;
using TorchSharp.Modules;
using TransferLearning.Spec;
using static TorchSharp.torch;

namespace TransferLearning.Models.Heads;

/// <summary>
/// The spec's <c>head</c> on pooled features <c>[N, C]</c>: for each of <c>dense_units</c> a Dense layer,
/// its activation and Dropout; then the output Dense layer giving logits (softmax is applied by the loss
/// and by prediction). Without hidden layers, Dropout goes straight before the output, as in Keras'
/// transfer-learning guide (GlobalAveragePooling2D, Dropout, Dense).
/// </summary>
public sealed class ClassifierHead : nn.Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    /// <summary>Builds the head for <paramref name="inputFeatures"/> pooled features and <paramref name="classes"/> outputs.</summary>
    public ClassifierHead(int inputFeatures, int classes, HeadSpec spec) : base("head")
    {
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        long width = inputFeatures;
        for (int i = 0; i < spec.DenseUnits.Length; i++)
        {
            modules.Add(($"dense_{i}", nn.Linear(width, spec.DenseUnits[i])));
            modules.Add(($"activation_{i}", Activation(spec.Activation)));
            if (spec.Dropout > 0) modules.Add(($"dropout_{i}", nn.Dropout(spec.Dropout)));
            width = spec.DenseUnits[i];
        }
        if (spec.DenseUnits.Length == 0 && spec.Dropout > 0) modules.Add(("dropout", nn.Dropout(spec.Dropout)));
        modules.Add(("output", nn.Linear(width, classes)));
        layers = nn.Sequential(modules);
        Classes = classes;
        RegisterComponents();
    }

    /// <summary>Number of outputs.</summary>
    public int Classes { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor pooled) => layers.call(pooled);

    private static nn.Module<Tensor, Tensor> Activation(HeadActivation activation) => activation switch
    {
        HeadActivation.Relu => nn.ReLU(),
        HeadActivation.Gelu => nn.GELU(),
        HeadActivation.Swish => nn.SiLU(),
        HeadActivation.Tanh => nn.Tanh(),
        HeadActivation.Sigmoid => nn.Sigmoid(),
        HeadActivation.Elu => nn.ELU(),
        HeadActivation.Selu => nn.SELU(),
        _ => nn.Identity(),
    };
}
