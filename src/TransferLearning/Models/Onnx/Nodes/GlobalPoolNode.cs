using static TorchSharp.torch;

namespace TransferLearning.Models.Onnx.Nodes;

/// <summary>ONNX <c>GlobalAveragePool</c> and <c>GlobalMaxPool</c>: one value per channel, spatial dims kept as 1x1.</summary>
public sealed class GlobalPoolNode : OnnxNode
{
    private readonly bool _max;

    internal GlobalPoolNode(string name, bool max) : base(name, max ? "GlobalMaxPool" : "GlobalAveragePool")
    {
        _max = max;
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override void Export(Export.OnnxGraphWriter writer, string[] inputs, string output) => writer.Node(OpType, inputs, output, GetName());

    /// <inheritdoc/>
    public override Tensor forward(Tensor[] inputs) =>
        _max ? inputs[0].amax([2, 3], keepdim: true) : inputs[0].mean([2, 3], keepdim: true);
}
