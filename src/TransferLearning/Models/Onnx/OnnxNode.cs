using TorchSharp;
using static TorchSharp.torch;

namespace TransferLearning.Models.Onnx;

/// <summary>
/// One ONNX graph node as a TorchSharp module: a "layer" in the Keras sense. Takes the node's inputs in
/// ONNX order (constant inputs are held by the node itself) and returns its single output.
/// </summary>
public abstract class OnnxNode : nn.Module<Tensor[], Tensor>
{
    /// <summary>Creates a node module named after the ONNX node.</summary>
    protected OnnxNode(string name, string opType) : base(name) => OpType = opType;

    /// <summary>The ONNX operator, e.g. <c>Conv</c>.</summary>
    public string OpType { get; }

    /// <summary>Writes this layer, with its current (trained) weights, as ONNX node(s) reading <paramref name="inputs"/> into <paramref name="output"/>.</summary>
    public abstract void Export(Export.OnnxGraphWriter writer, string[] inputs, string output);
}
