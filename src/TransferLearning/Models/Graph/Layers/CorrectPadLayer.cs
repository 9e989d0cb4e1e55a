using TorchSharp;
using static TorchSharp.torch;

namespace TransferLearning.Models.Graph.Layers;

/// <summary>
/// Keras' <c>ZeroPadding2D(imagenet_utils.correct_pad(x, kernel))</c> before a stride-2 convolution (MobileNetV2,
/// EfficientNet), with the padding computed from the input's actual size as Keras computes it when the model has a known
/// input shape: <c>(k/2 - 1, k/2)</c> for an even size, <c>(k/2, k/2)</c> for an odd one; that is TensorFlow's "same"
/// padding for stride 2. Exported as an ONNX <c>Pad</c> with the pads of the exported size.
/// </summary>
public sealed class CorrectPadLayer : GraphLayer
{
    private readonly long _kernel;

    internal CorrectPadLayer(string name, long kernel) : base(name, "Pad")
    {
        _kernel = kernel;
        RegisterComponents();
    }

    /// <summary>ONNX-order pads <c>[top, left, bottom, right]</c> for an input of <paramref name="height"/> x <paramref name="width"/>.</summary>
    public long[] Pads(long height, long width) => SamePadding.Pads(height, width, [_kernel, _kernel], [2, 2], [1, 1]);

    /// <inheritdoc/>
    public override Tensor forward(Tensor[] inputs)
    {
        var p = Pads(inputs[0].shape[2], inputs[0].shape[3]);
        return nn.functional.pad(inputs[0], [p[1], p[3], p[0], p[2]]);
    }

    /// <inheritdoc/>
    public override void Export(Export.OnnxGraphWriter writer, string[] inputs, string output, long[][] inputShapes)
    {
        var p = Pads(inputShapes[0][2], inputShapes[0][3]);
        writer.Node("Pad", [inputs[0], writer.Longs(GetName() + "_pads", 0, 0, p[0], p[1], 0, 0, p[2], p[3]), writer.Scalar(GetName() + "_value", 0f)],
            output, GetName(), ("mode", "constant"));
    }
}
