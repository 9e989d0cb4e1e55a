using TransferLearning.Models.Keras;
using static TorchSharp.torch;

namespace TransferLearning.Models.Graph.Layers;

/// <summary>
/// Keras' <c>Rescaling(scale, offset)</c> (<c>x * scale + offset</c>) and <c>Normalization</c> (<c>(x - mean) / max(sqrt(variance), 1e-7)</c>,
/// whose mean, variance and count are weights in Keras files), per channel or scalar. Nothing here trains. Rescaling's
/// constants are plain arrays, not buffers, since Keras counts no weights for it.
/// </summary>
public sealed class ScaleShiftLayer : GraphLayer, IKerasWeights
{
    private readonly float[] _scale;
    private readonly float _offset;
    private readonly Tensor? mean, variance, count;

    private ScaleShiftLayer(string name, string opType, float[] scale, float offset, Tensor? mean, Tensor? variance, Tensor? count) : base(name, opType)
    {
        (_scale, _offset, this.mean, this.variance, this.count) = (scale, offset, mean, variance, count);
        RegisterComponents();
    }

    /// <summary>Keras <c>Rescaling</c>: one value per channel (length C) or one for all (length 1).</summary>
    internal static ScaleShiftLayer Rescaling(string name, float[] scale, float offset) =>
        new(name, "Rescaling", scale, offset, null, null, null);

    /// <summary>Keras <c>Normalization(axis=-1)</c> over <paramref name="channels"/> channels (mean 0, variance 1 until loaded).</summary>
    internal static ScaleShiftLayer Normalization(string name, int channels) =>
        new(name, "Normalization", [], 0, zeros(channels), ones(channels), tensor(0L));

    /// <inheritdoc/>
    public IReadOnlyList<KerasWeightBinding> KerasWeights => mean is null ? [] :
    [
        new KerasWeightBinding("mean", mean, KerasLayout.AsIs),
        new KerasWeightBinding("variance", variance!, KerasLayout.AsIs),
        new KerasWeightBinding("count", count!, KerasLayout.AsIs),
    ];

    /// <inheritdoc/>
    public override Tensor forward(Tensor[] inputs)
    {
        using var scope = NewDisposeScope();
        var (s, o) = Coefficients(inputs[0].dtype, inputs[0].device);
        return (inputs[0] * s + o).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override void Export(Export.OnnxGraphWriter writer, string[] inputs, string output, long[][] inputShapes)
    {
        using var scope = NewDisposeScope();
        var (s, o) = Coefficients(ScalarType.Float32, CPU);
        var scaled = writer.Node("Mul", [inputs[0], writer.Initializer(GetName() + "_scale", s)], name: GetName() + "_mul");
        writer.Node("Add", [scaled, writer.Initializer(GetName() + "_offset", o)], output, GetName());
    }

    /// <summary>Normalization as a scale and shift: <c>x / std - mean / std</c>.</summary>
    private (Tensor Scale, Tensor Offset) Coefficients(ScalarType dtype, Device device)
    {
        if (mean is null) return (tensor(_scale, dtype, device).reshape(1, -1, 1, 1), tensor(_offset, dtype, device));
        var std = variance!.sqrt().clamp_min(1e-7).reshape(1, -1, 1, 1);
        return ((1 / std).to(dtype, device), (-mean.reshape(1, -1, 1, 1) / std).to(dtype, device));
    }
}
