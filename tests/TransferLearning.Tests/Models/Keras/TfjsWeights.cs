using System.Text.Json;
using TransferLearning.Models.Keras;

namespace TransferLearning.Tests.Models.Keras;

/// <summary>
/// Reads a TensorFlow.js layers export (model.json + weights.bin) as Keras weights, for the MobileNetV2 reference test.
/// Tensors are stored in manifest order (not grouped by layer), so offsets come from the manifest and tensors are looked up by name.
/// </summary>
internal static class TfjsWeights
{
    public static KerasWeightFile Read(string folder)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "model.json")));
        var layers = new List<(string Layer, List<KerasWeight> Weights)>();
        foreach (var group in json.RootElement.GetProperty("weightsManifest").EnumerateArray())
        {
            var bytes = group.GetProperty("paths").EnumerateArray().SelectMany(p => File.ReadAllBytes(Path.Combine(folder, p.GetString()!))).ToArray();
            long offset = 0;
            foreach (var w in group.GetProperty("weights").EnumerateArray())
            {
                Assert.Equal("float32", w.GetProperty("dtype").GetString());
                var shape = w.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                var count = shape.Aggregate(1L, (a, b) => a * b);
                var values = new float[count];
                Buffer.BlockCopy(bytes, (int)offset, values, 0, (int)(count * 4));
                offset += count * 4;
                var name = w.GetProperty("name").GetString()!;
                var layer = name[..name.LastIndexOf('/')];
                layer = layer[(layer.LastIndexOf('/') + 1)..];
                var entry = layers.FirstOrDefault(l => l.Layer == layer);
                if (entry.Weights is null) layers.Add(entry = (layer, []));
                entry.Weights.Add(new KerasWeight(name[(name.LastIndexOf('/') + 1)..], shape, values));
            }
        }
        return new KerasWeightFile(Path.Combine(folder, "model.json"), layers.Select(l => (l.Layer, (IReadOnlyList<KerasWeight>)l.Weights)));
    }
}
