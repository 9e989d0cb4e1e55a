using TorchSharp;
using TorchSharp.Modules;
using TransferLearning.Models.Keras;
using static TorchSharp.torch;

namespace TransferLearning.Models.Graph.Layers;

/// <summary>
/// ONNX <c>BatchNormalization</c> and Keras <c>BatchNormalization</c> (channels axis). In eval mode it uses the running
/// statistics, as Keras does when called with <c>training=False</c>; in training mode, batch statistics. Keras'
/// <c>scale=False</c> (InceptionV3) has no gamma: the constructor gets a null scale.
/// </summary>
public sealed class BatchNormLayer : GraphLayer, IKerasWeights
{
    private readonly Parameter? weight;
    private readonly Parameter bias;
    private readonly Tensor running_mean, running_var;
    private readonly double _epsilon, _momentum;

    /// <param name="name">Layer name.</param>
    /// <param name="scale">Gamma, or null for none.</param>
    /// <param name="shift">Beta.</param>
    /// <param name="mean">Moving mean.</param>
    /// <param name="variance">Moving variance.</param>
    /// <param name="epsilon">Added to the variance (ONNX default 1e-5, Keras 1e-3).</param>
    /// <param name="kerasMomentum">ONNX's and Keras' momentum: running = running * momentum + batch * (1 - momentum).</param>
    internal BatchNormLayer(string name, Tensor? scale, Tensor shift, Tensor mean, Tensor variance, double epsilon, double kerasMomentum)
        : base(name, "BatchNormalization")
    {
        weight = scale is null ? null : new Parameter(scale);
        bias = new Parameter(shift);
        running_mean = mean;
        running_var = variance;
        _epsilon = epsilon;
        _momentum = 1 - kerasMomentum; // torch weighs the batch by momentum
        RegisterComponents();
    }

    /// <summary>The epsilon added to the variance.</summary>
    public double Epsilon => _epsilon;

    /// <inheritdoc/>
    public IReadOnlyList<KerasWeightBinding> KerasWeights =>
    [
        .. weight is null ? Array.Empty<KerasWeightBinding>() : [new KerasWeightBinding("gamma", weight, KerasLayout.AsIs)],
        new KerasWeightBinding("beta", bias, KerasLayout.AsIs),
        new KerasWeightBinding("moving_mean", running_mean, KerasLayout.AsIs),
        new KerasWeightBinding("moving_variance", running_var, KerasLayout.AsIs),
    ];

    /// <inheritdoc/>
    public override void Export(Export.OnnxGraphWriter writer, string[] inputs, string output, long[][] inputShapes)
    {
        using var ones = weight is null ? ones_like(bias) : null;
        writer.Node("BatchNormalization", [inputs[0], writer.Initializer(GetName() + "_scale", weight ?? ones!), writer.Initializer(GetName() + "_B", bias),
            writer.Initializer(GetName() + "_mean", running_mean), writer.Initializer(GetName() + "_var", running_var)], output, GetName(), ("epsilon", _epsilon));
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor[] inputs) =>
        nn.functional.batch_norm(inputs[0], running_mean, running_var, weight, bias, training, _momentum, _epsilon);
}
