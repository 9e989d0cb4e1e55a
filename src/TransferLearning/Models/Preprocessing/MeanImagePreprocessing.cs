using TransferLearning.Models.Onnx;
using static TorchSharp.torch;

namespace TransferLearning.Models.Preprocessing;

/// <summary>
/// "Caffe" style with a full mean image: RGB to BGR, then subtract a per-pixel mean (0..255 scale). This is
/// what ML.NET's <c>ResNetPreprocess.onnx</c> does for the CNTK ResNet-18 (Split, Concat BGR, Sub MeanImage).
/// At another input size the mean image is resized bilinearly.
/// </summary>
public sealed class MeanImagePreprocessing : Preprocessing, IDisposable
{
    private readonly Tensor _meanBgr;

    /// <summary>Uses a <c>[1, 3, H, W]</c> BGR mean image.</summary>
    public MeanImagePreprocessing(Tensor meanBgr) => _meanBgr = meanBgr.detach().DetachFromDisposeScope();

    /// <summary>Reads the <c>MeanImage</c> initializer of an ML.NET preprocessing ONNX file.</summary>
    public static MeanImagePreprocessing FromOnnx(string path)
    {
        var model = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        var mean = model.Graph.Initializer.FirstOrDefault(t => t.Name == "MeanImage")
            ?? throw new InvalidDataException($"{path}: no 'MeanImage' initializer; is this ResNetPreprocess.onnx?");
        return new MeanImagePreprocessing(OnnxTensorReader.ToTensor(mean));
    }

    /// <inheritdoc/>
    public override string Name => "caffe-mean-image";

    /// <inheritdoc/>
    public override Tensor Apply(Tensor rgb)
    {
        using var scope = NewDisposeScope();
        var bgr = rgb.flip(1);
        var mean = _meanBgr.to(rgb.dtype, rgb.device);
        if (mean.shape[2] != rgb.shape[2] || mean.shape[3] != rgb.shape[3])
            mean = nn.functional.interpolate(mean, [rgb.shape[2], rgb.shape[3]], mode: InterpolationMode.Bilinear, align_corners: false);
        return (bgr - mean).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override string Export(Export.OnnxGraphWriter writer, string input, int height, int width)
    {
        var bgr = writer.Node("Gather", [input, writer.Longs("bgr_order", 2, 1, 0)], name: "rgb_to_bgr", attributes: ("axis", 1L));
        using var black = zeros(1, 3, height, width);
        using var meanBgr = Apply(black).neg(); // Apply(0) = -mean: the mean image at this size, BGR order
        return writer.Node("Sub", [bgr, writer.Initializer("mean_image", meanBgr)], name: "subtract_mean");
    }

    /// <inheritdoc/>
    public void Dispose() => _meanBgr.Dispose();
}
