using static TorchSharp.torch;

namespace TransferLearning.Models;

/// <summary>
/// The tensors that cross a cut in a backbone's layer graph (usually one; two across a residual
/// connection), keyed by graph value name. Owns them: dispose when done.
/// </summary>
public sealed class BoundaryActivations(IReadOnlyDictionary<string, Tensor> values) : IDisposable
{
    /// <summary>The tensors, by value name.</summary>
    public IReadOnlyDictionary<string, Tensor> Values { get; } = values;

    /// <summary>The same activations for a subset of the batch (rows <paramref name="index"/>).</summary>
    public BoundaryActivations Select(Tensor index) =>
        new(Values.ToDictionary(kv => kv.Key, kv => kv.Value.index_select(0, index)));

    /// <summary>Concatenates per-batch activations along the batch dimension.</summary>
    public static BoundaryActivations Concat(IReadOnlyList<BoundaryActivations> parts) =>
        new(parts[0].Values.Keys.ToDictionary(k => k, k => cat(parts.Select(p => p.Values[k]).ToList(), 0)));

    /// <summary>Memory held, in bytes.</summary>
    public long Bytes => Values.Values.Sum(t => t.numel() * t.element_size());

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var t in Values.Values) t.Dispose();
    }
}
