using TorchSharp;
using TransferLearning.Models;
using static TorchSharp.torch;

namespace TransferLearning.Training;

/// <summary>
/// Runs the frozen part of a backbone (no gradients ever flow there): either the model's own float32 backbone, or,
/// with mixed precision, a bfloat16 copy of its current weights, about twice as fast on CPUs with AVX-512 BF16.
/// Results always come back as float32, so everything that trains stays in float32.
/// </summary>
internal sealed class FrozenCompute : IDisposable
{
    private readonly Backbone? _copy;

    private FrozenCompute(Backbone backbone, Backbone? copy, ScalarType dtype)
    {
        Backbone = backbone;
        _copy = copy;
        DType = dtype;
    }

    /// <summary>The module that computes frozen layers.</summary>
    public Backbone Backbone { get; }

    /// <summary>The precision frozen layers run in.</summary>
    public ScalarType DType { get; }

    /// <summary>float32 on the model's backbone, or bfloat16 on a fresh copy made by <paramref name="factory"/>.</summary>
    public static FrozenCompute Create(TransferModel model, Func<Backbone>? factory)
    {
        if (factory is null) return new FrozenCompute(model.Backbone, null, ScalarType.Float32);
        var copy = factory();
        using (no_grad()) copy.load_state_dict(model.Backbone.state_dict());
        copy.to(ScalarType.BFloat16);
        copy.eval();
        return new FrozenCompute(copy, copy, ScalarType.BFloat16);
    }

    /// <summary>Pooled features of a raw RGB batch (0..255), float32.</summary>
    public Tensor PooledFeatures(Tensor rgb, GlobalPooling pooling)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var input = rgb.to(DType);
        return GlobalPool.Apply(Backbone.call(Backbone.Preprocessing.Apply(input)), pooling).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>Activations at <paramref name="cut"/> for a raw RGB batch, float32.</summary>
    public BoundaryActivations Prefix(Tensor rgb, int cut)
    {
        using var _ = no_grad();
        using var input = rgb.to(DType);
        using var preprocessed = Backbone.Preprocessing.Apply(input);
        using var activations = Backbone.Splittable!.ForwardPrefix(preprocessed, cut);
        return new BoundaryActivations(activations.Values.ToDictionary(kv => kv.Key, kv => kv.Value.to(ScalarType.Float32)));
    }

    /// <inheritdoc/>
    public void Dispose() => _copy?.Dispose();
}
