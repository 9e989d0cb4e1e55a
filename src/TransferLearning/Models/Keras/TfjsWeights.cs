using System.Text.Json;
using TransferLearning.Models.Keras;

namespace TransferLearning.Models.Keras;

/// <summary>
/// Reads the weights of a TensorFlow.js layers export (<c>model.json</c> + its <c>.bin</c> shards, as Teachable Machine
/// and <c>tensorflowjs_converter</c> write them) as Keras weights. Tensors follow the manifest's order (not grouped by
/// layer), so offsets come from the manifest; a weight named <c>outer/inner_layer/kernel</c> belongs to <c>inner_layer</c>.
/// </summary>
public static class TfjsWeights
{
    /// <summary>Reads <paramref name="modelJson"/> (a <c>model.json</c>, or the folder holding one).</summary>
    /// <exception cref="InvalidDataException">Not a TF.js layers export, a non-float32 weight, or shards shorter than the manifest says.</exception>
    public static KerasWeightFile Read(string modelJson)
    {
        if (Directory.Exists(modelJson)) modelJson = Path.Combine(modelJson, "model.json");
        var folder = Path.GetDirectoryName(Path.GetFullPath(modelJson))!;
        using var json = Parse(modelJson);
        if (!json.RootElement.TryGetProperty("weightsManifest", out var manifest))
            throw new InvalidDataException($"{modelJson}: no weightsManifest; not a TensorFlow.js layers model.");
        var layers = new List<(string Layer, List<KerasWeight> Weights)>();
        foreach (var group in manifest.EnumerateArray())
        {
            var bytes = group.GetProperty("paths").EnumerateArray().SelectMany(p => File.ReadAllBytes(Path.Combine(folder, p.GetString()!))).ToArray();
            long offset = 0;
            foreach (var w in group.GetProperty("weights").EnumerateArray())
            {
                var name = w.GetProperty("name").GetString()!;
                if (w.TryGetProperty("dtype", out var dtype) && dtype.GetString() != "float32")
                    throw new InvalidDataException($"{modelJson}: weight {name} is {dtype.GetString()}; only float32 weights are supported (no quantised exports).");
                var shape = w.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                var count = shape.Aggregate(1L, (a, b) => a * b);
                if (offset + count * 4 > bytes.Length)
                    throw new InvalidDataException($"{modelJson}: the weight files are shorter than the manifest says (at {name}).");
                var values = new float[count];
                Buffer.BlockCopy(bytes, (int)offset, values, 0, (int)(count * 4));
                offset += count * 4;
                if (!name.Contains('/')) throw new InvalidDataException($"{modelJson}: weight name '{name}' has no layer part (layer/weight).");
                var layer = name[..name.LastIndexOf('/')];
                layer = layer[(layer.LastIndexOf('/') + 1)..];
                var entry = layers.FirstOrDefault(l => l.Layer == layer);
                if (entry.Weights is null) layers.Add(entry = (layer, []));
                entry.Weights.Add(new KerasWeight(name[(name.LastIndexOf('/') + 1)..], shape, values));
            }
        }
        return new KerasWeightFile(modelJson, layers.Select(l => (l.Layer, (IReadOnlyList<KerasWeight>)l.Weights)));
    }

    private static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message.Split('\n')[0]}).");
        }
    }
}
