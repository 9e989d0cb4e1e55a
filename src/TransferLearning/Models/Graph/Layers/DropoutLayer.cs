using TorchSharp;
using static TorchSharp.torch;

namespace TransferLearning.Models.Graph.Layers;

/// <summary>
/// ONNX <c>Dropout</c> and Keras <c>Dropout</c>: identity in inference; in training, zeroes with probability
/// <c>rate</c> and rescales. <c>perSample</c> is Keras' <c>noise_shape=(None, 1, 1, 1)</c> (whole samples, EfficientNet's
/// stochastic depth).
/// </summary>
public sealed class DropoutLayer : GraphLayer
{
    private readonly double _rate;
    private readonly bool _perSample;

    internal DropoutLayer(string name, double rate, bool perSample = false) : base(name, "Dropout")
    {
        (_rate, _perSample) = (rate, perSample);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor[] inputs)
    {
        var x = inputs[0];
        if (!training || _rate <= 0) return x.alias();
        if (!_perSample) return nn.functional.dropout(x, _rate, training: true);
        using var scope = NewDisposeScope();
        var keep = empty([x.shape[0], 1, 1, 1], x.dtype, x.device).bernoulli_(1 - _rate);
        return (x * keep / (1 - _rate)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override void Export(Export.OnnxGraphWriter writer, string[] inputs, string output, long[][] inputShapes) =>
        writer.Node("Identity", inputs[..1], output, GetName());
}
