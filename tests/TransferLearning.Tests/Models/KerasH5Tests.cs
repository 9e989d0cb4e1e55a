using PureHDF;
using TransferLearning.Models.Keras;

namespace TransferLearning.Tests.Models;

/// <summary>Keras legacy .h5 weights: the real MobileNet a0.25 file, a write-read round trip, and the other forms Keras has written.</summary>
public sealed class KerasH5Tests : IDisposable
{
    private static readonly string MobileNetPath =
        Path.Combine(SharedData.Root, "weights", "keras-mobilenet-a0.25-224", "mobilenet_v1_0.25_224.h5");

    // Read once: several tests look at the same 1.9 MB file.
    private static readonly Lazy<KerasWeightFile> MobileNet = new(() => KerasH5.Read(MobileNetPath));

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tl-tests", "keras-h5-" + Guid.NewGuid().ToString("N"));

    public KerasH5Tests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Reads_the_real_mobilenet_layers_in_keras_layouts()
    {
        var file = MobileNet.Value;

        Assert.Equal(MobileNetPath, file.Path);
        AssertWeight(file, "conv1", "kernel", [3, 3, 3, 8]);
        AssertWeight(file, "conv_dw_1", "depthwise_kernel", [3, 3, 8, 1]);
        Assert.Equal(["gamma", "beta", "moving_mean", "moving_variance"], file.Layers["conv1_bn"].Select(w => w.Name));
        Assert.All(file.Layers["conv1_bn"], w => Assert.Equal([8L], w.Shape));
        AssertWeight(file, "conv_preds", "kernel", [1, 1, 256, 1000]);
        AssertWeight(file, "conv_preds", "bias", [1000]);

        // Layers come in model order, those without weights included.
        Assert.Equal(["conv1", "conv1_bn", "conv1_relu", "conv_dw_1"], file.Layers.Keys.Skip(1).Take(4));
        Assert.Empty(file.Layers["conv1_relu"]);
        Assert.True(file.Layers["conv1_bn"][3].Values.All(v => v > 0), "moving variances are positive");
    }

    [Fact]
    public void Real_mobilenet_has_475544_values()
    {
        var file = MobileNet.Value;
        Assert.Equal(475_544, file.Layers.Values.SelectMany(ws => ws).Sum(w => (long)w.Values.Length));
        Assert.Equal(475_544, file.ValueCount);
    }

    [Fact]
    public void Writing_what_was_read_and_reading_it_back_is_bitwise_identical()
    {
        var original = MobileNet.Value;
        var path = Path.Combine(_folder, "mobilenet-copy.h5");

        KerasH5.Write(path, original.Layers.Select(kv => (kv.Key, kv.Value)).ToList());
        var copy = KerasH5.Read(path);

        Assert.Equal(original.Layers.Keys, copy.Layers.Keys);
        foreach (var (layer, weights) in original.Layers)
        {
            var copied = copy.Layers[layer];
            Assert.Equal(weights.Select(w => w.Name), copied.Select(w => w.Name));
            foreach (var (a, b) in weights.Zip(copied))
            {
                Assert.Equal(a.Shape, b.Shape);
                Assert.True(a.Values.AsSpan().SequenceEqual(b.Values), $"{layer}/{a.Name}: values differ"); // bitwise: float.Equals on every element
            }
        }
        // Atomic: no temp file left beside it.
        Assert.Equal(["mobilenet-copy.h5"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Written_file_has_the_keras_save_weights_layout()
    {
        var path = Path.Combine(_folder, "small.h5");
        KerasH5.Write(path,
        [
            ("input_1", []),
            ("dense", [new KerasWeight("kernel", [2, 3], [1, 2, 3, 4, 5, 6]), new KerasWeight("bias", [3], [0.5f, -1, 2])]),
        ]);

        using var h5 = H5File.OpenRead(path);
        Assert.Equal(["input_1", "dense"], h5.Attribute("layer_names").Read<string[]>());
        Assert.Equal(KerasH5.Backend, h5.Attribute("backend").Read<string>());
        Assert.Equal(KerasH5.KerasVersion, h5.Attribute("keras_version").Read<string>());
        Assert.Equal(["dense/kernel:0", "dense/bias:0"], h5.Group("dense").Attribute("weight_names").Read<string[]>());
        var kernel = h5.Dataset("dense/dense/kernel:0");
        Assert.Equal([2UL, 3UL], kernel.Space.Dimensions);
        Assert.Equal(4, (int)kernel.Type.Size);
        Assert.Equal([1f, 2, 3, 4, 5, 6], kernel.Read<float[]>());
        // An empty name list is what h5py makes of Keras' []: float64, length 0.
        var empty = h5.Group("input_1").Attribute("weight_names");
        Assert.Equal(H5DataTypeClass.FloatingPoint, empty.Type.Class);
        Assert.Equal([0UL], empty.Space.Dimensions);
        Assert.Empty(h5.Group("input_1").Children());
    }

    [Fact]
    public void Reads_the_other_forms_keras_has_written()
    {
        // A full-model save of an outer model around a nested functional model, with fixed-length name strings,
        // layer_names split into chunks, a float64 weight, a scalar weight, an int64 weight (Normalization's count), and
        // Keras 3 names without ":0".
        var path = Path.Combine(_folder, "forms.h5");
        var file = new H5File
        {
            Attributes = new() { ["model_config"] = "{}" },
            ["model_weights"] = new H5Group
            {
                Attributes = new()
                {
                    ["layer_names0"] = new[] { "input_1", "mobilenetv2_0.35_224" },
                    ["layer_names1"] = new[] { "head" },
                    ["backend"] = "tensorflow",
                },
                ["input_1"] = new H5Group { Attributes = new() { ["weight_names"] = new H5Attribute(Array.Empty<double>(), [0]) } },
                ["mobilenetv2_0.35_224"] = new H5Group
                {
                    Attributes = new() { ["weight_names"] = new[] { "block_1_expand/kernel:0", "block_1_expand_BN/gamma:0" } },
                    ["block_1_expand"] = new H5Group { ["kernel:0"] = new H5Dataset(new double[] { 0.1, 0.2 }, fileDims: [1, 1, 1, 2]) },
                    ["block_1_expand_BN"] = new H5Group { ["gamma:0"] = new H5Dataset(new float[] { 1, 2 }) },
                },
                ["head"] = new H5Group
                {
                    Attributes = new() { ["weight_names"] = new[] { "head/scale", "head/count:0" } },
                    ["head"] = new H5Group { ["scale"] = new H5Dataset(3.5f), ["count:0"] = new H5Dataset(1_281_167L) },
                },
            },
        };
        file.Write(path, new H5WriteOptions(DefaultStringLength: 32));

        var read = KerasH5.Read(path);

        Assert.Equal(["input_1", "block_1_expand", "block_1_expand_BN", "head"], read.Layers.Keys);
        var kernel = read.Weight("block_1_expand", "kernel");
        Assert.Equal([1L, 1, 1, 2], kernel.Shape);
        Assert.Equal([0.1f, 0.2f], kernel.Values);
        Assert.Equal([1f, 2], read.Weight("block_1_expand_BN", "gamma").Values);
        var scale = read.Weight("head", "scale");
        Assert.Empty(scale.Shape);
        Assert.Equal([3.5f], scale.Values);
        Assert.Equal([1_281_167f], read.Weight("head", "count").Values);
    }

    [Fact]
    public void A_text_file_is_invalid_data_naming_the_file()
    {
        var path = Path.Combine(_folder, "not-hdf5.h5");
        File.WriteAllText(path, "this is not an HDF5 file\n");

        var error = Assert.Throws<InvalidDataException>(() => KerasH5.Read(path));
        Assert.Contains(path, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void An_hdf5_file_without_either_layout_is_invalid_data()
    {
        var path = Path.Combine(_folder, "other.h5");
        new H5File { ["data"] = new float[] { 1, 2, 3 } }.Write(path);

        var error = Assert.Throws<InvalidDataException>(() => KerasH5.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("no layer_names attribute at the root or under model_weights", error.Message);
    }

    [Fact]
    public void A_Keras_3_weights_file_is_named_as_such_with_the_way_out()
    {
        var path = Path.Combine(_folder, "model.weights.h5");
        new H5File { ["layers"] = new H5Group { ["conv2d"] = new H5Group { ["vars"] = new H5Group { ["0"] = new float[] { 1, 2 } } } } }.Write(path);

        var error = Assert.Throws<InvalidDataException>(() => KerasH5.Read(path));
        Assert.Contains("a Keras 3 .weights.h5 file", error.Message);
        Assert.Contains("model.save(\"model.h5\")", error.Message);
    }

    [Fact]
    public void Write_rejects_values_that_do_not_fit_the_shape()
    {
        var path = Path.Combine(_folder, "bad.h5");
        var error = Assert.Throws<ArgumentException>(() => KerasH5.Write(path, [("dense", [new KerasWeight("kernel", [2, 2], [1, 2, 3])])]));
        Assert.Contains("dense", error.Message);
        Assert.False(File.Exists(path));
    }

    private static void AssertWeight(KerasWeightFile file, string layer, string name, long[] shape)
    {
        var weight = file.Weight(layer, name);
        Assert.Equal(shape, weight.Shape);
        Assert.Equal(shape.Aggregate(1L, (a, b) => a * b), weight.Values.Length);
    }
}
