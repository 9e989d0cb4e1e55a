using PureHDF;
using TransferLearning.Models.Architectures;
using TransferLearning.Models.Graph;
using TransferLearning.Models.Keras;
using TransferLearning.Runtime;
using static TorchSharp.torch;

namespace TransferLearning.Tests.Models.Keras;

/// <summary>
/// Keras' official ImageNet files are older than Keras 3's naming rules, and Keras 3 still loads them: VGG's (Keras 1)
/// name weights <c>block1_conv1_W_1:0</c>, without the layer; DenseNet's (Keras 2) have layers named <c>conv1/conv</c>,
/// which HDF5 stores as nested groups. These files are written here in those layouts from a model's own weights.
/// </summary>
public sealed class OfficialFileLayoutTests : IDisposable
{
    private readonly string _folder = Data.TestImages.NewFolder();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void VGG16_weights_named_as_Keras_1_named_them_load_by_position_within_each_layer()
    {
        var (read, summary) = RoundTrip(Vgg.VGG16, "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5", layer => layer, Keras1WeightName);
        Assert.Equal(["block1_conv1_W_1", "block1_conv1_b_1"], read.Layers["block1_conv1"].Select(w => w.Name));
        Assert.Contains("13 layers loaded by name", summary);
    }

    [Fact]
    public void DenseNet121_weights_with_Keras_2_layer_names_containing_a_slash_load_by_name()
    {
        // Keras 2 named the stem conv1/conv, conv1/bn, conv1/relu; Keras 3 forbids '/' and says conv1_conv...
        static string Keras2(string layer) => layer.StartsWith("conv1_", StringComparison.Ordinal) ? "conv1/" + layer["conv1_".Length..] : layer;
        var (read, summary) = RoundTrip(DenseNet.DenseNet121, "densenet121_weights_tf_dim_ordering_tf_kernels_notop.h5", Keras2, Keras2WeightName);
        Assert.Equal(["gamma", "beta", "moving_mean", "moving_variance"], read.Layers["conv1/bn"].Select(w => w.Name));
        Assert.Equal(["gamma", "beta", "moving_mean", "moving_variance"], read.Layers["bn"].Select(w => w.Name));
        Assert.Contains("by name", summary);
    }

    [Fact]
    public void EfficientNetB0_weights_with_Normalization_count_as_int64_load()
    {
        var (_, summary) = RoundTrip(EfficientNet.B0, "efficientnetb0_notop.h5", layer => layer, Keras2WeightName);
        Assert.Contains("by name", summary);
    }

    [Fact]
    public void A_weight_of_the_wrong_shape_is_reported_with_the_name_the_file_gives_it()
    {
        TorchRuntime.EnsureLoaded();
        using var vgg16 = Build(Vgg.VGG16, seed: 1);
        var layers = KerasWeightLoader.Collect(vgg16)
            .Select(l => l.Layer == "block1_conv2" ? (l.Layer, (IReadOnlyList<KerasWeight>)[l.Weights[0], new KerasWeight("bias", [32], new float[32])]) : l)
            .ToList();
        var path = Path.Combine(_folder, "wrong.h5");
        WriteLegacy(path, layers, layer => layer, Keras1WeightName);

        using var copy = Build(Vgg.VGG16, seed: 2);
        using var before = copy.parameters().First().clone();
        var error = Assert.Throws<InvalidDataException>(() => KerasWeightLoader.Load(copy, KerasH5.Read(path)));
        Assert.Contains("block1_conv2/bias (block1_conv2_b_1 in the file): the file has [32], the model needs [64]", error.Message);
        Assert.True(TensorAssert.Same(before, copy.parameters().First()), "nothing is loaded when something does not fit");
    }

    private static string Keras1WeightName(string layer, KerasWeight weight) => $"{layer}_{(weight.Name == "kernel" ? "W" : "b")}_1:0";

    private static string Keras2WeightName(string layer, KerasWeight weight) => $"{layer}/{weight.Name}:0";

    /// <summary>
    /// Writes a model's weights in a legacy layout, loads them into a differently initialised copy, and checks that every
    /// tensor arrived; returns the file as read and the loader's summary line.
    /// </summary>
    private (KerasWeightFile File, string Summary) RoundTrip(KerasApplication application, string fileName,
        Func<string, string> layerName, Func<string, KerasWeight, string> weightName)
    {
        TorchRuntime.EnsureLoaded();
        using var original = Build(application, seed: 1);
        var path = Path.Combine(_folder, fileName);
        WriteLegacy(path, KerasWeightLoader.Collect(original), layerName, weightName);
        var read = KerasH5.Read(path);
        using var copy = Build(application, seed: 2);
        var summary = KerasWeightLoader.Load(copy, read);
        AssertSameWeights(original, copy);
        return (read, summary);
    }

    private static LayerGraph Build(KerasApplication application, int seed)
    {
        manual_seed(seed);
        var graph = application.Build(new KerasApplicationOptions(), out _);
        using var noGrad = no_grad();
        foreach (var (_, buffer) in graph.named_buffers())
            if (buffer.is_floating_point()) buffer.copy_(rand_like(buffer) + 0.5);
            else buffer.fill_(1_281_167); // Normalization's count
        return graph;
    }

    private static void AssertSameWeights(LayerGraph expected, LayerGraph actual)
    {
        foreach (var ((key, a), (_, b)) in expected.state_dict().Zip(actual.state_dict()))
            Assert.True(TensorAssert.Same(a, b), $"{key} differs");
    }

    /// <summary>
    /// A <c>save_weights</c> file as h5py lays it out: <c>layer_names</c> at the root, per layer a group (a name with '/'
    /// is a path of nested groups) with <c>weight_names</c>, each weight a dataset at its name below that group.
    /// </summary>
    private static void WriteLegacy(string path, IReadOnlyList<(string Layer, IReadOnlyList<KerasWeight> Weights)> layers,
        Func<string, string> layerName, Func<string, KerasWeight, string> weightName)
    {
        var file = new H5File();
        file.Attributes["layer_names"] = layers.Select(l => layerName(l.Layer)).ToArray();
        file.Attributes["backend"] = "tensorflow";
        foreach (var (layer, weights) in layers)
        {
            var name = layerName(layer);
            var group = GroupAt(file, name);
            var names = weights.Select(w => weightName(name, w)).ToArray();
            group.Attributes["weight_names"] = names.Length == 0 ? new H5Attribute(Array.Empty<double>(), [0]) : names;
            foreach (var (w, n) in weights.Zip(names))
            {
                var slash = n.LastIndexOf('/');
                var parent = slash < 0 ? group : GroupAt(group, n[..slash]);
                // Normalization's count is an int64 scalar in Keras' files (EfficientNet's).
                parent[n[(slash + 1)..]] = w.Name == "count"
                    ? new H5Dataset((long)w.Values[0])
                    : new H5Dataset(w.Values, fileDims: w.Shape.Select(d => (ulong)d).ToArray());
            }
        }
        file.Write(path);
    }

    private static H5Group GroupAt(H5Group root, string path)
    {
        var group = root;
        foreach (var part in path.Split('/'))
        {
            if (!group.TryGetValue(part, out var child)) group[part] = child = new H5Group();
            group = (H5Group)child;
        }
        return group;
    }
}
