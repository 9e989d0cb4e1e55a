using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransferLearning.Models.Onnx.Nodes;

/// <summary>
/// ONNX <c>BatchNormalization</c>. In eval mode it uses the running statistics, as Keras does for a
/// BatchNormalization layer called with <c>training=False</c>; in training mode, batch statistics.
/// </summary>
public sealed class BatchNormNode : OnnxNode
{
    private readonly Parameter weight, bias;
    private readonly Tensor running_mean, running_var;
    private readonly double _epsilon, _momentum;

    internal BatchNormNode(string name, Tensor scale, Tensor shift, Tensor mean, Tensor variance, double epsilon, double onnxMomentum)
        : base(name, "BatchNormalization")
    {
        weight = new Parameter(scale);
        bias = new Parameter(shift);
        running_mean = mean;
        running_var = variance;
        _epsilon = epsilon;
        // ONNX: running = running * momentum + batch * (1 - momentum); torch weighs the batch by momentum.
        _momentum = 1 - onnxMomentum;
        RegisterComponents();
    }

    /// <summary>The epsilon added to the variance.</summary>
    public double Epsilon => _epsilon;

    /// <inheritdoc/>
    public override void Export(Export.OnnxGraphWriter writer, string[] inputs, string output) =>
        writer.Node("BatchNormalization", [inputs[0], writer.Initializer(GetName() + "_scale", weight), writer.Initializer(GetName() + "_B", bias),
            writer.Initializer(GetName() + "_mean", running_mean), writer.Initializer(GetName() + "_var", running_var)], output, GetName(), ("epsilon", _epsilon));

    /// <inheritdoc/>
    public override Tensor forward(Tensor[] inputs) =>
        nn.functional.batch_norm(inputs[0], running_mean, running_var, weight, bias, training, _momentum, _epsilon);
}
