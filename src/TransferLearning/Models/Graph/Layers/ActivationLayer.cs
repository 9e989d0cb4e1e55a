using TorchSharp;
using static TorchSharp.torch;

namespace TransferLearning.Models.Graph.Layers;

/// <summary>
/// Parameter-free element-wise layers: ONNX <c>Relu</c>, <c>Sigmoid</c>, <c>Clip</c> (Keras' <c>ReLU(6.)</c>), <c>LeakyRelu</c>,
/// <c>Identity</c> (Keras' <c>InputLayer</c>), <c>Dropout</c>, and Keras' <c>swish</c> and <c>softmax</c> activations.
/// </summary>
public sealed class ActivationLayer : GraphLayer
{
    private readonly Func<Tensor, Tensor> _apply;
    private readonly float _a, _b;

    internal ActivationLayer(string name, string opType, Func<Tensor, Tensor> apply, float a = 0, float b = 0) : base(name, opType)
    {
        (_apply, _a, _b) = (apply, a, b);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override void Export(Export.OnnxGraphWriter writer, string[] inputs, string output, long[][] inputShapes)
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
            case "Swish":
                writer.Node("Mul", [inputs[0], writer.Node("Sigmoid", inputs[..1], name: GetName() + "_sigmoid")], output, GetName());
                break;
            case "Softmax":
                writer.Node("Softmax", inputs[..1], output, GetName(), ("axis", 1L));
                break;
            default:
                writer.Node(OpType, inputs[..1], output, GetName());
                break;
        }
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor[] inputs) => _apply(inputs[0]);

    internal static ActivationLayer Relu(string name) => new(name, "Relu", x => nn.functional.relu(x));

    internal static ActivationLayer Sigmoid(string name) => new(name, "Sigmoid", x => x.sigmoid());

    internal static ActivationLayer Clip(string name, float min, float max) => new(name, "Clip", x => x.clamp(min, max), min, max);

    internal static ActivationLayer LeakyRelu(string name, float alpha) => new(name, "LeakyRelu", x => nn.functional.leaky_relu(x, alpha), alpha);

    internal static ActivationLayer Swish(string name) => new(name, "Swish", x => nn.functional.silu(x));

    internal static ActivationLayer Softmax(string name) => new(name, "Softmax", x => x.softmax(1));

    internal static ActivationLayer Identity(string name, string opType) => new(name, opType, x => x.alias());

    /// <summary>Keras' activation called <paramref name="activation"/>: <c>relu</c>, <c>relu6</c>, <c>swish</c>/<c>silu</c>, <c>sigmoid</c>, <c>softmax</c> or <c>linear</c>.</summary>
    internal static ActivationLayer Keras(string name, string activation) => activation switch
    {
        "relu" => Relu(name),
        "relu6" => Clip(name, 0, 6),
        "swish" or "silu" => Swish(name),
        "sigmoid" => Sigmoid(name),
        "softmax" => Softmax(name),
        "linear" => Identity(name, "Identity"),
        _ => throw new NotSupportedException($"Keras activation '{activation}' is not supported."),
    };
}
