using static TorchSharp.torch;

namespace TransferLearning.Models.Preprocessing;

/// <summary>
/// What a backbone expects its input pixels to look like, as Keras' per-family <c>preprocess_input</c>.
/// Input is always a float batch <c>[N, 3, H, W]</c> of RGB values in 0..255; the data side never knows more.
/// </summary>
public abstract class Preprocessing
{
    /// <summary>A short name for logs and the exported model, e.g. <c>caffe-mean-image</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Returns a new tensor with the backbone's preprocessing applied; never modifies <paramref name="rgb"/>.</summary>
    public abstract Tensor Apply(Tensor rgb);

    /// <summary>Writes the same transform as ONNX nodes for inputs of <paramref name="height"/> x <paramref name="width"/>; returns the output's name.</summary>
    public abstract string Export(Export.OnnxGraphWriter writer, string input, int height, int width);
}
