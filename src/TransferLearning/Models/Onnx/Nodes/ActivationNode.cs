using TorchSharp;
using static TorchSharp.torch;

namespace TransferLearning.Models.Onnx.Nodes;

/// <summary>Parameter-free element-wise ONNX ops: <c>Relu</c>, <c>Sigmoid</c>, <c>Clip</c> (ReLU6 in exports), <c>LeakyRelu</c>, <c>Identity</c>, <c>Dropout</c> (inference).</summary>
public sealed class ActivationNode : OnnxNode
{
    private readonly Func<Tensor, Tensor> _apply;
    private readonly float _a, _b;

    internal ActivationNode(string name, string opType, Func<Tensor, Tensor> apply, float a = 0, float b = 0) : base(name, opType)
    {
        (_apply, _a, _b) = (apply, a, b);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override void Export(Export.OnnxGraphWriter writer, string[] inputs, string output)
    {
        switch (OpType)
        {
            case "Clip":
                writer.Node("Clip", [inputs[0], writer.Scalar(GetName() + "_min", _a), writer.Scalar(GetName() + "_max", _b)], output, GetName());
                break;
            case "LeakyRelu":
                writer.Node("LeakyRelu", inputs[..1], output, GetName(), ("alpha", _a));
                break;
            case "Dropout":
                writer.Node("Identity", inputs[..1], output, GetName());
                break;
            default:
                writer.Node(OpType, inputs[..1], output, GetName());
                break;
        }
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor[] inputs) => _apply(inputs[0]);

    internal static ActivationNode Relu(string name) => new(name, "Relu", x => nn.functional.relu(x));

    internal static ActivationNode Sigmoid(string name) => new(name, "Sigmoid", x => x.sigmoid());

    internal static ActivationNode Clip(string name, float min, float max) => new(name, "Clip", x => x.clamp(min, max), min, max);

    internal static ActivationNode LeakyRelu(string name, float alpha) => new(name, "LeakyRelu", x => nn.functional.leaky_relu(x, alpha), alpha);

    internal static ActivationNode Identity(string name, string opType) => new(name, opType, x => x.alias());
}
