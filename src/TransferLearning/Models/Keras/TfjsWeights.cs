using System.Runtime.InteropServices;
using System.Text.Json;

namespace TransferLearning.Models.Keras;

/// <summary>
/// Reads the weights of a TensorFlow.js layers export (<c>model.json</c> + its <c>.bin</c> shards, as Teachable Machine
/// and <c>tensorflowjs_converter</c> write them) as Keras weights. Tensors follow the manifest's order (not grouped by
/// layer), so offsets come from the manifest; a weight named <c>outer/inner_layer/kernel</c> belongs to <c>inner_layer</c>.
/// float32 and int32 weights are read, and quantised ones (<c>tensorflowjs_converter --quantize_*</c>) are dequantised:
/// uint8/uint16 as <c>q * scale + min</c>, float16 as half-precision floats.
/// </summary>
public static class TfjsWeights
{
    /// <summary>Reads <paramref name="modelJson"/> (a <c>model.json</c>, or the folder holding one).</summary>
    /// <exception cref="InvalidDataException">
    /// Not a TF.js layers export, a missing shard, an unknown dtype, shards shorter than the manifest says, or two nested
    /// layers with the same name; the message names the file.
    /// </exception>
    public static KerasWeightFile Read(string modelJson)
    {
        if (Directory.Exists(modelJson)) modelJson = Path.Combine(modelJson, "model.json");
        var folder = Path.GetDirectoryName(Path.GetFullPath(modelJson))!;
        using var json = Parse(modelJson);
        try
        {
            return new KerasWeightFile(modelJson, ReadLayers(modelJson, folder, json.RootElement));
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            // A field missing or of the wrong JSON type.
            throw new InvalidDataException($"{modelJson}: not a TensorFlow.js layers model ({e.Message.Split('\n')[0]}).", e);
        }
    }

    private static IEnumerable<(string Layer, IReadOnlyList<KerasWeight> Weights)> ReadLayers(string modelJson, string folder, JsonElement root)
    {
        if (!root.TryGetProperty("weightsManifest", out var manifest))
            throw new InvalidDataException($"{modelJson}: no weightsManifest; not a TensorFlow.js layers model.");
        // Keyed by the innermost layer name; the full path tells two nested models' same-named layers apart.
        var layers = new List<(string Layer, string Path, List<KerasWeight> Weights)>();
        foreach (var group in manifest.EnumerateArray())
        {
            var bytes = ReadShards(modelJson, folder, group.GetProperty("paths"));
            long offset = 0;
            foreach (var w in group.GetProperty("weights").EnumerateArray())
            {
                var name = w.GetProperty("name").GetString()!;
                if (!name.Contains('/')) throw new InvalidDataException($"{modelJson}: weight name '{name}' has no layer part (layer/weight).");
                var shape = w.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                var values = ReadValues(modelJson, name, w, bytes, ref offset, shape.Aggregate(1L, (a, b) => a * b));

                var path = name[..name.LastIndexOf('/')];
                var layer = path[(path.LastIndexOf('/') + 1)..];
                var entry = layers.FirstOrDefault(l => l.Layer == layer);
                if (entry.Weights is null) layers.Add(entry = (layer, path, []));
                else if (entry.Path != path)
                    throw new InvalidDataException($"{modelJson}: two layers are named '{layer}' ({entry.Path} and {path}); expected unique layer names.");
                entry.Weights.Add(new KerasWeight(name[(name.LastIndexOf('/') + 1)..], shape, values));
            }
        }
        return layers.Select(l => (l.Layer, (IReadOnlyList<KerasWeight>)l.Weights));
    }

    private static byte[] ReadShards(string modelJson, string folder, JsonElement paths)
    {
        using var all = new MemoryStream();
        foreach (var p in paths.EnumerateArray())
        {
            var shard = Path.Combine(folder, p.GetString()!);
            if (!File.Exists(shard)) throw new InvalidDataException($"{modelJson}: its weight file {shard} is missing.");
            using var stream = File.OpenRead(shard);
            stream.CopyTo(all);
        }
        return all.ToArray();
    }

    /// <summary>One weight's values as float32, from <paramref name="offset"/> on; moves the offset past them.</summary>
    private static float[] ReadValues(string modelJson, string name, JsonElement weight, byte[] bytes, ref long offset, long count)
    {
        var dtype = weight.TryGetProperty("dtype", out var d) ? d.GetString() : "float32";
        var quantization = weight.TryGetProperty("quantization", out var q) ? q : (JsonElement?)null;
        var stored = quantization?.GetProperty("dtype").GetString() ?? dtype;
        int size = stored switch
        {
            "float32" or "int32" => 4,
            "uint16" or "float16" => 2,
            "uint8" => 1,
            _ => throw new InvalidDataException($"{modelJson}: weight {name} is stored as {stored}; expected float32, int32, or a uint8, uint16 or float16 quantisation."),
        };
        if (dtype is not ("float32" or "int32"))
            throw new InvalidDataException($"{modelJson}: weight {name} is {dtype}; expected float32 or int32.");
        if (offset + count * size > bytes.Length)
            throw new InvalidDataException($"{modelJson}: the weight files are shorter than the manifest says (at {name}).");

        var span = bytes.AsSpan((int)offset, (int)(count * size));
        offset += count * size;
        var values = new float[count];
        switch (stored)
        {
            case "float32":
                span.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
                break;
            case "int32":
                var ints = MemoryMarshal.Cast<byte, int>(span);
                for (int i = 0; i < values.Length; i++) values[i] = ints[i];
                break;
            case "float16":
                var halves = MemoryMarshal.Cast<byte, Half>(span);
                for (int i = 0; i < values.Length; i++) values[i] = (float)halves[i];
                break;
            default:
                // Affine quantisation: value = q * scale + min.
                float scale = quantization!.Value.GetProperty("scale").GetSingle(), min = quantization.Value.GetProperty("min").GetSingle();
                if (size == 1) for (int i = 0; i < values.Length; i++) values[i] = span[i] * scale + min;
                else
                {
                    var shorts = MemoryMarshal.Cast<byte, ushort>(span);
                    for (int i = 0; i < values.Length; i++) values[i] = shorts[i] * scale + min;
                }
                break;
        }
        return values;
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
