using TransferLearning.Models.Graph;
using static TorchSharp.torch;

namespace TransferLearning.Models.Keras;

/// <summary>
/// Copies Keras weights (from an <c>.h5</c> file, a TF.js export, ...) into a graph built by <see cref="KerasGraphBuilder"/>,
/// converting channels-last layouts. Layers are matched by name; when the names differ but the number of layers
/// with weights is the same, by order, as Keras' own <c>load_weights</c> does for legacy <c>.h5</c> files (whose
/// automatic names, <c>conv2d_1</c>..., depend on the Keras version that wrote them). Every tensor's name and shape is
/// checked first, and all mismatches are reported in one error; nothing is copied unless everything fits.
/// Layers in the file that the model lacks (a classifier top when the model has none) are ignored and counted.
/// </summary>
public static class KerasWeightLoader
{
    /// <summary>Loads <paramref name="file"/> into <paramref name="graph"/>; returns a one-line summary of what was matched and ignored.</summary>
    /// <exception cref="InvalidDataException">Some weights are missing or have another shape; the message lists them all.</exception>
    public static string Load(LayerGraph graph, KerasWeightFile file)
    {
        var ours = WeightedLayers(graph);
        var fileLayers = file.Layers.Where(kv => kv.Value.Count > 0).ToList();
        bool byName = ours.All(l => file.Layers.ContainsKey(l.Name));
        var problems = new List<string>();
        var pairs = new List<(string Layer, IReadOnlyList<KerasWeightBinding> Bindings, IReadOnlyList<KerasWeight> Weights)>();
        if (byName)
            pairs.AddRange(ours.Select(l => (l.Name, l.Bindings, file.Layers[l.Name])));
        else if (fileLayers.Count == ours.Count)
            pairs.AddRange(ours.Select((l, i) => (l.Name, l.Bindings, fileLayers[i].Value)));
        else
        {
            var missing = ours.Where(l => !file.Layers.ContainsKey(l.Name)).Select(l => l.Name).ToList();
            throw new InvalidDataException($"{file.Path}: does not fit {graph.GetName()}: {missing.Count} of its {ours.Count} layers with weights are not in the file " +
                $"({string.Join(", ", missing.Take(8))}{(missing.Count > 8 ? ", ..." : "")}) and the file has {fileLayers.Count} layers with weights, so they cannot be matched by order either. " +
                "Is it the weights of another architecture or alpha?");
        }

        foreach (var (layer, bindings, weights) in pairs)
        {
            foreach (var binding in bindings)
            {
                var weight = weights.FirstOrDefault(w => w.Name == binding.Name);
                var expected = KerasLayouts.KerasShape(binding.Target.shape, binding.Layout);
                if (weight is null) problems.Add($"{layer}/{binding.Name} {Shape(expected)} is not in the file");
                else if (!weight.Shape.SequenceEqual(expected)) problems.Add($"{layer}/{binding.Name}: the file has {Shape(weight.Shape)}, the model needs {Shape(expected)}");
            }
            foreach (var extra in weights.Where(w => bindings.All(b => b.Name != w.Name)))
                problems.Add($"{layer}/{extra.Name} {Shape(extra.Shape)} is in the file but the layer has no such weight");
        }
        if (problems.Count > 0)
            throw new InvalidDataException($"{file.Path}: {problems.Count} weight(s) do not fit {graph.GetName()}: {string.Join("; ", problems.Take(12))}{(problems.Count > 12 ? "; ..." : "")}.");

        using (no_grad())
            foreach (var (_, bindings, weights) in pairs)
                foreach (var binding in bindings)
                {
                    var weight = weights.First(w => w.Name == binding.Name);
                    using var keras = tensor(weight.Values).reshape(weight.Shape);
                    using var converted = KerasLayouts.FromKeras(keras, binding.Layout);
                    binding.Target.copy_(converted);
                }
        int ignored = byName ? fileLayers.Count(kv => ours.All(l => l.Name != kv.Key)) : 0;
        return $"{pairs.Count} layers loaded {(byName ? "by name" : "by order (the file's layer names differ, as Keras allows for .h5)")}" +
               (ignored > 0 ? $", {ignored} layer(s) with weights in the file but not in the model ignored" : "");
    }

    /// <summary>The graph's weights in Keras layout, layer by layer (every layer, with or without weights), ready for <c>KerasH5.Write</c>.</summary>
    public static IReadOnlyList<(string Layer, IReadOnlyList<KerasWeight> Weights)> Collect(LayerGraph graph) =>
        graph.Layers.Select(layer => (layer.GetName(), (IReadOnlyList<KerasWeight>)(layer is IKerasWeights k ? k.KerasWeights : [])
            .Select(b =>
            {
                using var keras = KerasLayouts.ToKeras(b.Target.detach(), b.Layout);
                using var floats = keras.to(ScalarType.Float32).contiguous();
                return new KerasWeight(b.Name, keras.shape, floats.data<float>().ToArray());
            }).ToList())).ToList();

    private static List<(string Name, IReadOnlyList<KerasWeightBinding> Bindings)> WeightedLayers(LayerGraph graph) =>
        graph.Layers.OfType<IKerasWeights>().Select(l => (((GraphLayer)l).GetName(), l.KerasWeights)).Where(l => l.KerasWeights.Count > 0).ToList();

    private static string Shape(long[] shape) => $"[{string.Join(", ", shape)}]";
}
