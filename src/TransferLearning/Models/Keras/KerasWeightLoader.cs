using TransferLearning.Models.Graph;
using static TorchSharp.torch;

namespace TransferLearning.Models.Keras;

/// <summary>
/// Copies Keras weights (from an <c>.h5</c> file, a TF.js export, ...) into a graph built by <see cref="KerasGraphBuilder"/>,
/// converting channels-last layouts. Layers are matched by name (a Keras 2 name with '/', such as DenseNet's
/// <c>conv1/conv</c>, also matches Keras 3's <c>conv1_conv</c>); when the names differ but the number of layers with
/// weights is the same, by order, as Keras' own <c>load_weights</c> does for legacy <c>.h5</c> files (whose automatic
/// names, <c>conv2d_1</c>..., depend on the Keras version that wrote them). Within a layer, weights are matched by
/// name (<c>kernel</c>, <c>bias</c>...), else by position as Keras does (Keras 1 files, such as VGG's, name them
/// <c>block1_conv1_W_1</c>, <c>block1_conv1_b_1</c>). Every tensor's shape is checked first, and all mismatches are
/// reported in one error; nothing is copied unless everything fits. Layers in the file that the model lacks (a
/// classifier top when the model has none) are ignored and counted.
/// </summary>
public static class KerasWeightLoader
{
    /// <summary>Loads <paramref name="file"/> into <paramref name="graph"/>; returns a one-line summary of what was matched and ignored.</summary>
    /// <exception cref="InvalidDataException">Some weights are missing or have another shape; the message lists them all.</exception>
    public static string Load(LayerGraph graph, KerasWeightFile file)
    {
        var ours = WeightedLayers(graph);
        var fileLayers = file.Layers.Where(kv => kv.Value.Count > 0).ToList();
        var byKerasName = LayersByKerasName(file);
        bool byName = ours.All(l => byKerasName.ContainsKey(l.Name));
        // Each of our layers with the file's weights for it, and those weights matched to its own (null where missing).
        var pairs = new List<(string Layer, IReadOnlyList<KerasWeightBinding> Bindings, IReadOnlyList<KerasWeight> InFile, KerasWeight?[] Weights)>();
        if (byName)
            pairs.AddRange(ours.Select(l => (l.Name, l.Bindings, byKerasName[l.Name], MatchWeights(l.Bindings, byKerasName[l.Name]))));
        else if (fileLayers.Count == ours.Count)
            pairs.AddRange(ours.Select((l, i) => (l.Name, l.Bindings, fileLayers[i].Value, MatchWeights(l.Bindings, fileLayers[i].Value))));
        else
        {
            var missing = ours.Where(l => !byKerasName.ContainsKey(l.Name)).Select(l => l.Name).ToList();
            throw new InvalidDataException($"{file.Path}: does not fit {graph.GetName()}: {missing.Count} of its {ours.Count} layers with weights are not in the file " +
                $"({string.Join(", ", missing.Take(8))}{(missing.Count > 8 ? ", ..." : "")}) and the file has {fileLayers.Count} layers with weights, so they cannot be matched by order either. " +
                "Is it the weights of another architecture or alpha?");
        }

        var problems = new List<string>();
        foreach (var (layer, bindings, inFile, weights) in pairs)
        {
            for (int i = 0; i < bindings.Count; i++)
            {
                var expected = KerasLayouts.KerasShape(bindings[i].Target.shape, bindings[i].Layout);
                var name = bindings[i].Name;
                if (weights[i] is not { } weight) problems.Add($"{layer}/{name} {Shape(expected)} is not in the file");
                else if (!weight.Shape.SequenceEqual(expected))
                    problems.Add($"{layer}/{name}{(weight.Name == name ? "" : $" ({weight.Name} in the file)")}: the file has {Shape(weight.Shape)}, the model needs {Shape(expected)}");
            }
            foreach (var extra in inFile.Where(w => !weights.Contains(w)))
                problems.Add($"{layer}/{extra.Name} {Shape(extra.Shape)} is in the file but the layer has no such weight");
        }
        if (problems.Count > 0)
            throw new InvalidDataException($"{file.Path}: {problems.Count} weight(s) do not fit {graph.GetName()}: {string.Join("; ", problems.Take(12))}{(problems.Count > 12 ? "; ..." : "")}.");

        using (no_grad())
            foreach (var (_, bindings, _, weights) in pairs)
                for (int i = 0; i < bindings.Count; i++)
                {
                    var weight = weights[i]!;
                    using var keras = tensor(weight.Values).reshape(weight.Shape);
                    using var converted = KerasLayouts.FromKeras(keras, bindings[i].Layout);
                    bindings[i].Target.copy_(converted);
                }
        var matched = new HashSet<IReadOnlyList<KerasWeight>>(pairs.Select(p => p.InFile), ReferenceEqualityComparer.Instance);
        int ignored = byName ? fileLayers.Count(kv => !matched.Contains(kv.Value)) : 0;
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

    /// <summary>
    /// The file's layers by name, plus Keras 3's spelling of Keras 2 names with '/' (DenseNet's <c>conv1/conv</c> is
    /// <c>conv1_conv</c> in Keras 3, which forbids '/') where that spelling is not already a layer of the file.
    /// </summary>
    private static Dictionary<string, IReadOnlyList<KerasWeight>> LayersByKerasName(KerasWeightFile file)
    {
        var layers = new Dictionary<string, IReadOnlyList<KerasWeight>>(file.Layers, StringComparer.Ordinal);
        foreach (var (name, weights) in file.Layers.Where(kv => kv.Key.Contains('/')))
            layers.TryAdd(name.Replace('/', '_'), weights);
        return layers;
    }

    /// <summary>The file's weight for each of the layer's (null where none): by name, else by position when the counts agree.</summary>
    private static KerasWeight?[] MatchWeights(IReadOnlyList<KerasWeightBinding> bindings, IReadOnlyList<KerasWeight> weights)
    {
        bool byName = bindings.All(b => weights.Any(w => w.Name == b.Name));
        if (!byName && weights.Count == bindings.Count) return [.. weights];
        return bindings.Select(b => weights.FirstOrDefault(w => w.Name == b.Name)).ToArray();
    }

    private static string Shape(long[] shape) => $"[{string.Join(", ", shape)}]";
}
