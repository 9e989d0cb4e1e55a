using System.Text.Json;
using TransferLearning.Models.Keras;

namespace TransferLearning.Tests.Models.Keras;

/// <summary>TensorFlow.js layers exports: shards, dtypes and quantisations as <c>tensorflowjs_converter</c> writes them, and their errors.</summary>
public sealed class TfjsWeightsTests : IDisposable
{
    private readonly string _folder = Data.TestImages.NewFolder();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Writes model.json with one manifest group over the given shards.</summary>
    private string Write(object[] weights, params byte[][] shards)
    {
        var paths = shards.Select((bytes, i) => $"group1-shard{i + 1}of{shards.Length}.bin").ToArray();
        for (int i = 0; i < shards.Length; i++) File.WriteAllBytes(Path.Combine(_folder, paths[i]), shards[i]);
        var path = Path.Combine(_folder, "model.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new { format = "layers-model", weightsManifest = new[] { new { paths, weights } } }));
        return path;
    }

    [Fact]
    public void Reads_float32_int32_and_quantised_weights_across_shards()
    {
        var bytes = new List<byte>();
        bytes.AddRange(BitConverter.GetBytes(1.5f));
        bytes.AddRange(BitConverter.GetBytes(-2.25f));
        bytes.AddRange(new byte[] { 0, 2, 255 });                               // uint8, scale 0.5, min -1
        bytes.AddRange(BitConverter.GetBytes((ushort)4));                         // uint16, scale 0.25, min 0
        bytes.AddRange(BitConverter.GetBytes((Half)0.125f));                      // float16
        bytes.AddRange(BitConverter.GetBytes(1_281_167));                         // int32 scalar
        var all = bytes.ToArray();
        var path = Write(
        [
            new { name = "model2/conv/kernel", shape = new[] { 2 }, dtype = "float32" },
            new { name = "model2/conv/bias", shape = new[] { 3 }, dtype = "float32", quantization = new { dtype = "uint8", scale = 0.5, min = -1.0 } },
            new { name = "model2/bn/gamma", shape = new[] { 1 }, dtype = "float32", quantization = new { dtype = "uint16", scale = 0.25, min = 0.0 } },
            new { name = "model2/bn/beta", shape = new[] { 1 }, dtype = "float32", quantization = new { dtype = "float16" } },
            new { name = "model2/normalization/count", shape = Array.Empty<int>(), dtype = "int32" },
        ], all[..5], all[5..]); // the first shard ends inside the first weight

        var read = TfjsWeights.Read(path);

        Assert.Equal(["conv", "bn", "normalization"], read.Layers.Keys);
        Assert.Equal([1.5f, -2.25f], read.Weight("conv", "kernel").Values);
        Assert.Equal([-1f, 0f, 126.5f], read.Weight("conv", "bias").Values);
        Assert.Equal([1f], read.Weight("bn", "gamma").Values);
        Assert.Equal([0.125f], read.Weight("bn", "beta").Values);
        Assert.Equal([1_281_167f], read.Weight("normalization", "count").Values);
        Assert.Empty(read.Weight("normalization", "count").Shape);
    }

    [Fact]
    public void Two_nested_layers_with_one_name_are_refused_not_merged()
    {
        var path = Write(
        [
            new { name = "a/dense/kernel", shape = new[] { 1 }, dtype = "float32" },
            new { name = "b/dense/kernel", shape = new[] { 1 }, dtype = "float32" },
        ], new byte[8]);
        var error = Assert.Throws<InvalidDataException>(() => TfjsWeights.Read(path));
        Assert.Contains("two layers are named 'dense' (a/dense and b/dense)", error.Message);
    }

    [Fact]
    public void A_missing_shard_a_missing_field_and_short_shards_are_invalid_data_naming_the_file()
    {
        var path = Write([new { name = "m/conv/kernel", shape = new[] { 4 }, dtype = "float32" }], new byte[16]);
        File.Delete(Path.Combine(_folder, "group1-shard1of1.bin"));
        Assert.Contains("group1-shard1of1.bin is missing", Assert.Throws<InvalidDataException>(() => TfjsWeights.Read(path)).Message);

        path = Write([new { name = "m/conv/kernel", dtype = "float32" }], new byte[16]);
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => TfjsWeights.Read(path)).Message);

        path = Write([new { name = "m/conv/kernel", shape = new[] { 5 }, dtype = "float32" }], new byte[16]);
        Assert.Contains("shorter than the manifest says (at m/conv/kernel)", Assert.Throws<InvalidDataException>(() => TfjsWeights.Read(path)).Message);

        path = Write([new { name = "m/conv/kernel", shape = new[] { 2 }, dtype = "string" }], new byte[16]);
        Assert.Contains("stored as string", Assert.Throws<InvalidDataException>(() => TfjsWeights.Read(path)).Message);
    }
}
