using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransferLearning.Models.Onnx.Nodes;

/// <summary>ONNX <c>Conv</c> (2-D). Asymmetric pads, as CNTK and TensorFlow exports use, become an explicit zero pad.</summary>
public sealed class ConvNode : OnnxNode
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly long[] _strides, _dilations, _symmetricPads;
    private readonly long[]? _explicitPad;
    private readonly long _groups;
    private readonly long[] _pads;

    internal ConvNode(string name, Tensor weightValue, Tensor? biasValue, long[] strides, long[] pads, long[] dilations, long groups)
        : base(name, "Conv")
    {
        weight = new Parameter(weightValue);
        bias = biasValue is null ? null : new Parameter(biasValue);
        _strides = strides;
        _dilations = dilations;
        _groups = groups;
        _pads = pads;
        (_symmetricPads, _explicitPad) = PadSplit.Split(pads);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override void Export(Export.OnnxGraphWriter writer, string[] inputs, string output)
    {
        var w = writer.Initializer(GetName() + "_W", weight);
        string[] args = bias is null ? [inputs[0], w] : [inputs[0], w, writer.Initializer(GetName() + "_B", bias)];
        writer.Node("Conv", args, output, GetName(), ("strides", _strides), ("pads", _pads.Length == 0 ? new long[] { 0, 0, 0, 0 } : _pads),
            ("dilations", _dilations), ("group", _groups), ("kernel_shape", weight.shape[2..]));
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor[] inputs)
    {
        using var scope = NewDisposeScope();
        var x = _explicitPad is null ? inputs[0] : nn.functional.pad(inputs[0], _explicitPad);
        return nn.functional.conv2d(x, weight, bias, _strides, _symmetricPads, _dilations, _groups).MoveToOuterDisposeScope();
    }
}
