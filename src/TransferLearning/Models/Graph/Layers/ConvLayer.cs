using TorchSharp;
using TorchSharp.Modules;
using TransferLearning.Models.Keras;
using static TorchSharp.torch;

namespace TransferLearning.Models.Graph.Layers;

/// <summary>
/// A 2-D convolution: ONNX <c>Conv</c>, Keras <c>Conv2D</c> and <c>DepthwiseConv2D</c> (groups = channels). Padding is
/// fixed ONNX pads (asymmetric ones become an explicit zero pad) or TensorFlow's input-dependent "same". A Keras
/// <c>Conv2D(..., activation=...)</c> keeps its activation inside the layer, as Keras does (exported after the <c>Conv</c>).
/// </summary>
public sealed class ConvLayer : GraphLayer, IKerasWeights
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly ActivationLayer? activation;
    private readonly long[] _strides, _dilations, _pads;
    private readonly long _groups;
    private readonly bool _same;

    /// <summary>
    /// A convolution with <paramref name="weightValue"/> <c>[out, in / groups, kh, kw]</c>; <paramref name="pads"/> null means TensorFlow
    /// "same"; <paramref name="fusedActivation"/>, when given, is applied to the result.
    /// </summary>
    internal ConvLayer(string name, Tensor weightValue, Tensor? biasValue, long[] strides, long[]? pads, long[] dilations, long groups,
        ActivationLayer? fusedActivation = null)
        : base(name, "Conv")
    {
        weight = new Parameter(weightValue);
        bias = biasValue is null ? null : new Parameter(biasValue);
        activation = fusedActivation;
        _strides = strides;
        _dilations = dilations;
        _groups = groups;
        _same = pads is null;
        _pads = pads ?? [];
        RegisterComponents();
    }

    /// <summary>True for a depthwise convolution (one filter per input channel).</summary>
    public bool IsDepthwise => _groups > 1 && weight.shape[1] == 1;

    /// <inheritdoc/>
    public IReadOnlyList<KerasWeightBinding> KerasWeights =>
        bias is null ? [Kernel()] : [Kernel(), new KerasWeightBinding("bias", bias, KerasLayout.AsIs)];

    private KerasWeightBinding Kernel() => IsDepthwise
        ? new KerasWeightBinding("depthwise_kernel", weight, KerasLayout.DepthwiseKernel)
        : new KerasWeightBinding("kernel", weight, KerasLayout.ConvKernel);

    /// <inheritdoc/>
    public override void Export(Export.OnnxGraphWriter writer, string[] inputs, string output, long[][] inputShapes)
    {
        var w = writer.Initializer(GetName() + "_W", weight);
        string[] args = bias is null ? [inputs[0], w] : [inputs[0], w, writer.Initializer(GetName() + "_B", bias)];
        var convolved = writer.Node("Conv", args, activation is null ? output : null, GetName(), ("strides", _strides), ("pads", PadsFor(inputShapes[0])),
            ("dilations", _dilations), ("group", _groups), ("kernel_shape", weight.shape[2..]));
        activation?.Export(writer, [convolved], output, inputShapes);
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor[] inputs)
    {
        using var scope = NewDisposeScope();
        var (symmetric, explicitPad) = PadSplit.Split(PadsFor(inputs[0].shape));
        var x = explicitPad is null ? inputs[0] : nn.functional.pad(inputs[0], explicitPad);
        var y = nn.functional.conv2d(x, weight, bias, _strides, symmetric, _dilations, _groups);
        return (activation is null ? y : activation.forward([y])).MoveToOuterDisposeScope();
    }

    private long[] PadsFor(long[] inputShape) =>
        _same ? SamePadding.Pads(inputShape[2], inputShape[3], weight.shape[2..], _strides, _dilations)
        : _pads.Length == 0 ? [0, 0, 0, 0] : _pads;
}
