using TorchSharp;
using static TorchSharp.torch;

namespace TransferLearning.Models.Graph.Layers;

/// <summary>
/// ONNX <c>MaxPool</c> and <c>AveragePool</c> (asymmetric pads, <c>count_include_pad</c>), and Keras' <c>MaxPooling2D</c> and
/// <c>AveragePooling2D</c>: "valid", or "same" (TensorFlow pads per call and never counts the padding in an average).
/// </summary>
public sealed class PoolLayer : GraphLayer
{
    private readonly bool _max, _countIncludePad, _ceil;
    private readonly long[] _kernel, _strides;
    private readonly long[]? _pads;

    /// <summary>A pooling; <paramref name="pads"/> null means TensorFlow "same".</summary>
    internal PoolLayer(string name, bool max, long[] kernel, long[] strides, long[]? pads, bool countIncludePad, bool ceil)
        : base(name, max ? "MaxPool" : "AveragePool")
    {
        (_max, _kernel, _strides, _countIncludePad, _ceil) = (max, kernel, strides, countIncludePad, ceil);
        _pads = pads is null ? null : pads.Length == 0 ? [0, 0, 0, 0] : pads;
        RegisterComponents();
    }

    private long[] PadsFor(long[] inputShape) => _pads ?? SamePadding.Pads(inputShape[2], inputShape[3], _kernel, _strides, [1, 1]);

    /// <inheritdoc/>
    public override void Export(Export.OnnxGraphWriter writer, string[] inputs, string output, long[][] inputShapes)
    {
        if (_max)
            writer.Node("MaxPool", inputs, output, GetName(), ("kernel_shape", _kernel), ("strides", _strides), ("pads", PadsFor(inputShapes[0])), ("ceil_mode", _ceil ? 1L : 0L));
        else
            writer.Node("AveragePool", inputs, output, GetName(), ("kernel_shape", _kernel), ("strides", _strides), ("pads", PadsFor(inputShapes[0])),
                ("ceil_mode", _ceil ? 1L : 0L), ("count_include_pad", _countIncludePad ? 1L : 0L));
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor[] inputs)
    {
        using var scope = NewDisposeScope();
        var x = inputs[0];
        var (symmetricPads, explicitPad) = PadSplit.Split(PadsFor(x.shape));
        Tensor result;
        if (_max)
        {
            if (explicitPad is not null) x = nn.functional.pad(x, explicitPad, PaddingModes.Constant, double.NegativeInfinity);
            result = nn.functional.max_pool2d(x, _kernel, _strides, symmetricPads, ceil_mode: _ceil);
        }
        else if (explicitPad is null || _countIncludePad)
        {
            if (explicitPad is not null) x = nn.functional.pad(x, explicitPad);
            result = nn.functional.avg_pool2d(x, _kernel, _strides, symmetricPads, _ceil, _countIncludePad);
        }
        else
        {
            // Asymmetric pads that must not count: average of the padded input over the average of a padded mask of ones.
            var ones = ones_like(x[TensorIndex.Slice(0, 1), TensorIndex.Slice(0, 1)]);
            var sum = nn.functional.avg_pool2d(nn.functional.pad(x, explicitPad), _kernel, _strides, symmetricPads, _ceil, true);
            var count = nn.functional.avg_pool2d(nn.functional.pad(ones, explicitPad), _kernel, _strides, symmetricPads, _ceil, true);
            result = sum / count;
        }
        return result.MoveToOuterDisposeScope();
    }
}
