using TorchSharp;
using TorchSharp.Modules;
using TransferLearning.Models.Keras;
using static TorchSharp.torch;

namespace TransferLearning.Models.Graph.Layers;

/// <summary>A fully connected layer: ONNX <c>Gemm</c> with constant B (and C), <c>alpha * A' B' + beta * C</c>, or Keras' <c>Dense</c>.</summary>
public sealed class GemmLayer : GraphLayer, IKerasWeights
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly bool _transA;

    internal GemmLayer(string name, Tensor b, Tensor? c, float alpha, float beta, bool transA, bool transB) : base(name, "Gemm")
    {
        // Stored as torch's Linear keeps it: weight [out, in], so forward is x @ weight^T.
        weight = new Parameter((transB ? b : b.t()).mul(alpha).contiguous());
        bias = c is null ? null : new Parameter(c.mul(beta));
        _transA = transA;
        RegisterComponents();
    }

    /// <inheritdoc/>
    public IReadOnlyList<KerasWeightBinding> KerasWeights => bias is null
        ? [new KerasWeightBinding("kernel", weight, KerasLayout.DenseKernel)]
        : [new KerasWeightBinding("kernel", weight, KerasLayout.DenseKernel), new KerasWeightBinding("bias", bias, KerasLayout.AsIs)];

    /// <inheritdoc/>
    public override void Export(Export.OnnxGraphWriter writer, string[] inputs, string output, long[][] inputShapes)
    {
        var w = writer.Initializer(GetName() + "_W", weight);
        string[] args = bias is null ? [inputs[0], w] : [inputs[0], w, writer.Initializer(GetName() + "_B", bias)];
        writer.Node("Gemm", args, output, GetName(), ("transA", _transA ? 1L : 0L), ("transB", 1L));
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor[] inputs) =>
        nn.functional.linear(_transA ? inputs[0].t() : inputs[0], weight, bias);
}
