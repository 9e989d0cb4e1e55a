using static TorchSharp.torch;

namespace TransferLearning.Models.Graph.Layers;

/// <summary>
/// ONNX <c>GlobalAveragePool</c> and <c>GlobalMaxPool</c> (spatial dims kept as 1x1), and Keras' <c>GlobalAveragePooling2D</c>
/// and <c>GlobalMaxPooling2D</c> (<c>[N, C]</c> unless <c>keepdims=True</c>).
/// </summary>
public sealed class GlobalPoolLayer : GraphLayer
{
    private readonly bool _max, _keepDims;

    internal GlobalPoolLayer(string name, bool max, bool keepDims = true) : base(name, max ? "GlobalMaxPool" : "GlobalAveragePool")
    {
        (_max, _keepDims) = (max, keepDims);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override void Export(Export.OnnxGraphWriter writer, string[] inputs, string output, long[][] inputShapes)
    {
        if (_keepDims) writer.Node(OpType, inputs, output, GetName());
        else writer.Node("Flatten", [writer.Node(OpType, inputs, name: GetName() + "_pool")], output, GetName(), ("axis", 1L));
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor[] inputs) =>
        _max ? inputs[0].amax([2, 3], keepdim: _keepDims) : inputs[0].mean([2, 3], keepdim: _keepDims);
}
