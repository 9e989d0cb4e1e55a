using TorchSharp;
using static TorchSharp.torch;

namespace TransferLearning.Models.Graph;

/// <summary>
/// One layer of a <see cref="LayerGraph"/> as a TorchSharp module: an imported ONNX node or a Keras layer
/// (<c>Conv2D</c>, <c>BatchNormalization</c>, ...). Takes its inputs in order (constants are held by the layer
/// itself) and returns its single output.
/// </summary>
public abstract class GraphLayer : nn.Module<Tensor[], Tensor>
{
    /// <summary>Creates a layer named <paramref name="name"/> (the ONNX node's or the Keras layer's name).</summary>
    protected GraphLayer(string name, string opType) : base(name) => OpType = opType;

    /// <summary>The ONNX operator the layer computes, e.g. <c>Conv</c> (also for a Keras <c>Conv2D</c>).</summary>
    public string OpType { get; }

    /// <summary>Writes this layer, with its current (trained) weights, as ONNX node(s) reading <paramref name="inputs"/> (of shapes <paramref name="inputShapes"/>) into <paramref name="output"/>.</summary>
    public abstract void Export(Export.OnnxGraphWriter writer, string[] inputs, string output, long[][] inputShapes);
}
