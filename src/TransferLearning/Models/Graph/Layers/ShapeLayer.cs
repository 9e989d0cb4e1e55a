using TorchSharp;
using static TorchSharp.torch;

namespace TransferLearning.Models.Graph.Layers;

/// <summary>Shape-only ONNX ops: <c>Flatten</c>, <c>Reshape</c> (constant shape, 0 copies a dim, -1 infers), <c>Concat</c>, <c>Pad</c>.</summary>
public sealed class ShapeLayer : GraphLayer
{
    private readonly Func<Tensor[], Tensor> _apply;
    private readonly Action<Export.OnnxGraphWriter, string[], string, string> _export;

    private ShapeLayer(string name, string opType, Func<Tensor[], Tensor> apply, Action<Export.OnnxGraphWriter, string[], string, string> export) : base(name, opType)
    {
        (_apply, _export) = (apply, export);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override void Export(Export.OnnxGraphWriter writer, string[] inputs, string output, long[][] inputShapes) => _export(writer, inputs, output, GetName());

    /// <inheritdoc/>
    public override Tensor forward(Tensor[] inputs) => _apply(inputs);

    internal static ShapeLayer Flatten(string name, long axis) => new(name, "Flatten", x =>
    {
        var shape = x[0].shape;
        var a = axis < 0 ? axis + shape.Length : axis;
        long outer = shape.Take((int)a).Aggregate(1L, (p, d) => p * d);
        return x[0].reshape(outer, -1);
    }, (w, i, o, n) => w.Node("Flatten", i, o, n, ("axis", axis)));

    /// <summary>Keras' <c>Flatten</c>: flattens in channels-last order (H, W, C), as a Keras Dense layer after it expects.</summary>
    internal static ShapeLayer ChannelsLastFlatten(string name) => new(name, "Flatten", x => x[0].permute(0, 2, 3, 1).reshape(x[0].shape[0], -1),
        (w, i, o, n) => w.Node("Flatten", [w.Node("Transpose", i, name: n + "_nhwc", attributes: ("perm", new long[] { 0, 2, 3, 1 }))], o, n, ("axis", 1L)));

    internal static ShapeLayer Reshape(string name, long[] target) => new(name, "Reshape", x =>
        x[0].reshape(target.Select((d, i) => d == 0 ? x[0].shape[i] : d).ToArray()),
        (w, i, o, n) => w.Node("Reshape", [i[0], w.Longs(n + "_shape", target)], o, n));

    internal static ShapeLayer Concat(string name, long axis) => new(name, "Concat", x => cat(x, axis), (w, i, o, n) => w.Node("Concat", i, o, n, ("axis", axis)));

    internal static ShapeLayer Pad(string name, long[] pads, string mode, float value)
    {
        if (pads.Length != 8 || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0)
            throw new NotSupportedException($"node '{name}' (Pad): only spatial pads of a 4-D tensor are supported.");
        long[] torchPads = [pads[3], pads[7], pads[2], pads[6]]; // ONNX [n,c,h,w begins, n,c,h,w ends] -> torch [left,right,top,bottom]
        var padMode = mode switch
        {
            "constant" => PaddingModes.Constant,
            "reflect" => PaddingModes.Reflect,
            "edge" => PaddingModes.Replicate,
            _ => throw new NotSupportedException($"node '{name}' (Pad): mode '{mode}' is not supported (constant, reflect, edge are)."),
        };
        return new(name, "Pad", x => nn.functional.pad(x[0], torchPads, padMode, value),
            (w, i, o, n) => w.Node("Pad", [i[0], w.Longs(n + "_pads", pads), w.Scalar(n + "_value", value)], o, n, ("mode", mode)));
    }
}
