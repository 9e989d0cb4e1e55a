using TorchSharp;
using static TorchSharp.torch;

namespace TransferLearning.Models.Onnx.Nodes;

/// <summary>Parameter-free element-wise ONNX ops: <c>Relu</c>, <c>Sigmoid</c>, <c>Clip</c> (ReLU6 in exports), <c>LeakyRelu</c>, <c>Identity</c>, <c>Dropout</c> (inference).</summary>
public sealed class ActivationNode : OnnxNode
{
    private readonly Func<Tensor, Tensor> _apply;

    internal ActivationNode(string name, string opType, Func<Tensor, Tensor> apply) : base(name, opType)
    {
        _apply = apply;
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor[] inputs) => _apply(inputs[0]);

    internal static ActivationNode Relu(string name) => new(name, "Relu", x => nn.functional.relu(x));

    internal static ActivationNode Sigmoid(string name) => new(name, "Sigmoid", x => x.sigmoid());

    internal static ActivationNode Clip(string name, float min, float max) => new(name, "Clip", x => x.clamp(min, max));

    internal static ActivationNode LeakyRelu(string name, float alpha) => new(name, "LeakyRelu", x => nn.functional.leaky_relu(x, alpha));

    internal static ActivationNode Identity(string name, string opType) => new(name, opType, x => x.alias());
}
