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

    internal ConvNode(string name, Tensor weightValue, Tensor? biasValue, long[] strides, long[] pads, long[] dilations, long groups)
        : base(name, "Conv")
    {
        weight = new Parameter(weightValue);
        bias = biasValue is null ? null : new Parameter(biasValue);
        _strides = strides;
        _dilations = dilations;
        _groups = groups;
        (_symmetricPads, _explicitPad) = PadSplit.Split(pads);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor[] inputs)
    {
        using var scope = NewDisposeScope();
        var x = _explicitPad is null ? inputs[0] : nn.functional.pad(inputs[0], _explicitPad);
        return nn.functional.conv2d(x, weight, bias, _strides, _symmetricPads, _dilations, _groups).MoveToOuterDisposeScope();
    }
}
