using static TorchSharp.torch;

namespace TransferLearning.Models.Preprocessing;

/// <summary>
/// Keras' <c>imagenet_utils.preprocess_input</c> modes, from RGB 0..255: <c>caffe</c> (to BGR, minus the ImageNet mean
/// per channel: VGG, ResNet50/101/152), <c>tf</c> (<c>x / 127.5 - 1</c>: MobileNet, MobileNetV2, InceptionV3),
/// <c>torch</c> (<c>x / 255</c>, minus mean, over std: DenseNet), and <c>none</c> (EfficientNet rescales inside the model).
/// Each is a per-channel scale and offset, after an optional channel flip.
/// </summary>
public sealed class KerasPreprocessing : Preprocessing
{
    private readonly float[] _scale, _offset;
    private readonly bool _bgr;

    private KerasPreprocessing(string mode, bool bgr, float[] scale, float[] offset) => (Name, _bgr, _scale, _offset) = (mode, bgr, scale, offset);

    /// <summary>The preprocessing of Keras mode <paramref name="mode"/> (<c>caffe</c>, <c>tf</c>, <c>torch</c>, <c>none</c>).</summary>
    public static KerasPreprocessing ForMode(string mode) => mode switch
    {
        "caffe" => new("caffe", true, [1, 1, 1], [-103.939f, -116.779f, -123.68f]),
        "tf" => new("tf", false, [1 / 127.5f, 1 / 127.5f, 1 / 127.5f], [-1, -1, -1]),
        "torch" => new("torch", false, [1 / (255 * 0.229f), 1 / (255 * 0.224f), 1 / (255 * 0.225f)], [-0.485f / 0.229f, -0.456f / 0.224f, -0.406f / 0.225f]),
        "none" => new("none", false, [1, 1, 1], [0, 0, 0]),
        _ => throw new ArgumentException($"unknown Keras preprocessing mode '{mode}' (caffe, tf, torch, none)", nameof(mode)),
    };

    /// <inheritdoc/>
    public override string Name { get; }

    /// <inheritdoc/>
    public override Tensor Apply(Tensor rgb)
    {
        using var scope = NewDisposeScope();
        var x = _bgr ? rgb.flip(1) : rgb;
        var scale = tensor(_scale).reshape(1, 3, 1, 1).to(rgb.dtype, rgb.device);
        var offset = tensor(_offset).reshape(1, 3, 1, 1).to(rgb.dtype, rgb.device);
        return (x * scale + offset).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override string Export(Export.OnnxGraphWriter writer, string input, int height, int width)
    {
        var x = _bgr ? writer.Node("Gather", [input, writer.Longs("bgr_order", 2, 1, 0)], name: "rgb_to_bgr", attributes: ("axis", 1L)) : input;
        using var scale = tensor(_scale).reshape(1, 3, 1, 1);
        using var offset = tensor(_offset).reshape(1, 3, 1, 1);
        x = writer.Node("Mul", [x, writer.Initializer("preprocess_scale", scale)], name: "preprocess_scale");
        return writer.Node("Add", [x, writer.Initializer("preprocess_offset", offset)], name: "preprocess_offset");
    }
}
