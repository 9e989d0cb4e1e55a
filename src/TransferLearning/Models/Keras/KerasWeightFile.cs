using System.Collections.ObjectModel;

namespace TransferLearning.Models.Keras;

/// <summary>The weights of a Keras legacy HDF5 file (<c>save_weights</c> or full-model <c>.h5</c>), layer by layer.</summary>
public sealed class KerasWeightFile
{
    /// <summary>Collects the layers of a weights file.</summary>
    /// <param name="path">The file the weights came from (for messages).</param>
    /// <param name="layers">The layers in file order, each with its weights in Keras' order.</param>
    /// <exception cref="ArgumentException">A layer name appears twice.</exception>
    public KerasWeightFile(string path, IEnumerable<(string Layer, IReadOnlyList<KerasWeight> Weights)> layers)
    {
        Path = path;
        // OrderedDictionary: file order matters (Keras loads legacy files by position), and Dictionary's order is not guaranteed.
        var ordered = new OrderedDictionary<string, IReadOnlyList<KerasWeight>>(StringComparer.Ordinal);
        foreach (var (layer, weights) in layers)
        {
            if (!ordered.TryAdd(layer, weights))
                throw new ArgumentException($"{path}: layer '{layer}' appears twice.", nameof(layers));
        }
        Layers = new ReadOnlyDictionary<string, IReadOnlyList<KerasWeight>>(ordered);
    }

    /// <summary>The file the weights came from.</summary>
    public string Path { get; }

    /// <summary>
    /// The weights keyed by Keras layer name (the innermost one for a model nested as a layer), in file order;
    /// a layer without weights (input, activation, padding) has an empty list.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<KerasWeight>> Layers { get; }

    /// <summary>The number of values over all weights (Keras' parameter count, trainable and not).</summary>
    public long ValueCount => Layers.Values.Sum(weights => weights.Sum(w => (long)w.Values.Length));

    /// <summary>The weight <paramref name="name"/> (e.g. <c>kernel</c>) of layer <paramref name="layer"/>.</summary>
    /// <exception cref="KeyNotFoundException">There is no such layer or weight; the message names the file and what the layer has.</exception>
    public KerasWeight Weight(string layer, string name)
    {
        if (!Layers.TryGetValue(layer, out var weights))
            throw new KeyNotFoundException($"{Path}: no layer '{layer}' ({Layers.Count} layers in the file).");
        return weights.FirstOrDefault(w => w.Name == name)
            ?? throw new KeyNotFoundException(
                $"{Path}: layer '{layer}' has no weight '{name}' (it has: {(weights.Count == 0 ? "none" : string.Join(", ", weights.Select(w => w.Name)))}).");
    }
}
