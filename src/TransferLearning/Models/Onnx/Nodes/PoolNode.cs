using TorchSharp;
using static TorchSharp.torch;

namespace TransferLearning.Models.Onnx.Nodes;

/// <summary>ONNX <c>MaxPool</c> and <c>AveragePool</c>, with asymmetric pads and ONNX's <c>count_include_pad</c>.</summary>
public sealed class PoolNode : OnnxNode
{
    private readonly bool _max, _countIncludePad, _ceil;
    private readonly long[] _kernel, _strides, _symmetricPads;
    private readonly long[]? _explicitPad;
    private readonly long[] _pads;

    internal PoolNode(string name, bool max, long[] kernel, long[] strides, long[] pads, bool countIncludePad, bool ceil)
        : base(name, max ? "MaxPool" : "AveragePool")
    {
        (_max, _kernel, _strides, _countIncludePad, _ceil) = (max, kernel, strides, countIncludePad, ceil);
        (_symmetricPads, _explicitPad) = PadSplit.Split(pads);
        _pads = pads.Length == 0 ? [0, 0, 0, 0] : pads;
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override void Export(Export.OnnxGraphWriter writer, string[] inputs, string output)
    {
        if (_max)
            writer.Node("MaxPool", inputs, output, GetName(), ("kernel_shape", _kernel), ("strides", _strides), ("pads", _pads), ("ceil_mode", _ceil ? 1L : 0L));
        else
            writer.Node("AveragePool", inputs, output, GetName(), ("kernel_shape", _kernel), ("strides", _strides), ("pads", _pads),
                ("ceil_mode", _ceil ? 1L : 0L), ("count_include_pad", _countIncludePad ? 1L : 0L));
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor[] inputs)
    {
        using var scope = NewDisposeScope();
        var x = inputs[0];
        Tensor result;
        if (_max)
        {
            if (_explicitPad is not null) x = nn.functional.pad(x, _explicitPad, PaddingModes.Constant, double.NegativeInfinity);
            result = nn.functional.max_pool2d(x, _kernel, _strides, _symmetricPads, ceil_mode: _ceil);
        }
        else if (_explicitPad is null || _countIncludePad)
        {
            if (_explicitPad is not null) x = nn.functional.pad(x, _explicitPad);
            result = nn.functional.avg_pool2d(x, _kernel, _strides, _symmetricPads, _ceil, _countIncludePad);
        }
        else
        {
            // Asymmetric pads that must not count: average of the padded input over the average of a padded mask of ones.
            var ones = ones_like(x[TensorIndex.Slice(0, 1), TensorIndex.Slice(0, 1)]);
            var sum = nn.functional.avg_pool2d(nn.functional.pad(x, _explicitPad), _kernel, _strides, _symmetricPads, _ceil, true);
            var count = nn.functional.avg_pool2d(nn.functional.pad(ones, _explicitPad), _kernel, _strides, _symmetricPads, _ceil, true);
            result = sum / count;
        }
        return result.MoveToOuterDisposeScope();
    }
}
