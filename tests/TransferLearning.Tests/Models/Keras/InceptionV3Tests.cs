using System.Globalization;
using System.Text.RegularExpressions;
using TransferLearning.Models.Architectures;
using TransferLearning.Models.Keras;
using TransferLearning.Runtime;
using static TorchSharp.torch;

namespace TransferLearning.Tests.Models.Keras;

/// <summary>InceptionV3 against what <c>inception_v3.py</c> gives with <c>include_top=False</c>.</summary>
public sealed partial class InceptionV3Tests
{
    /// <summary>
    /// <c>len(model.layers)</c>: input, 94 conv2d_bn blocks of 3 layers, 4 max and 9 average poolings, 15 concatenations
    /// (mixed0..mixed10, mixed9_0, mixed9_1 and two unnamed); and the 8x8x2048 map at 299x299.
    /// </summary>
    [Fact]
    public void Layer_count_and_feature_map_at_299_are_Keras()
    {
        TorchRuntime.EnsureLoaded();
        using var graph = InceptionV3.Application.Build(new KerasApplicationOptions(), out var channels);
        Assert.Equal(311, graph.LayerCount);
        Assert.Equal(2048, channels);
        Assert.Equal(94, graph.Layers.Count(l => l.GetName().StartsWith("conv2d", StringComparison.Ordinal)));
        Assert.Contains(graph.Layers, l => l.GetName() == "conv2d_93");
        Assert.Contains(graph.Layers, l => l.GetName() == "concatenate_1");
        graph.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Assert.Equal(new long[] { 1, 2048, 8, 8 }, graph.call(zeros(1, 3, 299, 299)).shape);
    }

    /// <summary>
    /// Keras lists a functional model's layers by depth, not by call: in mixed0 the longest branch (3x3dbl: conv2d_8..10)
    /// comes first and the four branches' last convolutions sit side by side. This is the order Keras' legacy .h5 files
    /// hold, and the one our loader pairs them in (their names, numbered from 1 by the Keras that wrote them, differ).
    /// </summary>
    [Fact]
    public void Mixed0_layers_are_in_Keras_model_layers_order()
    {
        TorchRuntime.EnsureLoaded();
        using var graph = InceptionV3.Application.Build(new KerasApplicationOptions(), out _);
        var names = graph.Layers.Select(l => l.GetName()).ToList();
        Assert.Equal(
            ["input_layer", "conv2d", "batch_normalization", "activation", "conv2d_1", "batch_normalization_1", "activation_1",
             "conv2d_2", "batch_normalization_2", "activation_2", "max_pooling2d", "conv2d_3", "batch_normalization_3", "activation_3",
             "conv2d_4", "batch_normalization_4", "activation_4", "max_pooling2d_1"],
            names.Take(18));
        Assert.Equal(
            ["conv2d_8", "batch_normalization_8", "activation_8", "conv2d_6", "conv2d_9", "batch_normalization_6", "batch_normalization_9",
             "activation_6", "activation_9", "average_pooling2d", "conv2d_5", "conv2d_7", "conv2d_10", "conv2d_11",
             "batch_normalization_5", "batch_normalization_7", "batch_normalization_10", "batch_normalization_11",
             "activation_5", "activation_7", "activation_10", "activation_11", "mixed0"],
            names.Skip(18).Take(23));
        Assert.Equal("mixed10", names[^1]);
    }

    [Fact]
    public void A_file_with_legacy_names_loads_by_order()
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(1);
        using var original = InceptionV3.Application.Build(new KerasApplicationOptions(), out _);
        var legacy = KerasWeightLoader.Collect(original).Select(l => (LegacyName(l.Layer), l.Weights));
        manual_seed(2);
        using var copy = InceptionV3.Application.Build(new KerasApplicationOptions(), out _);
        Assert.Contains("by order", KerasWeightLoader.Load(copy, new KerasWeightFile("legacy.h5", legacy)));
        foreach (var ((key, a), (_, b)) in original.state_dict().Zip(copy.state_dict()))
            Assert.True(TensorAssert.Same(a, b), $"{key} differs");
    }

    /// <summary>Keras 2's automatic names counted from 1: conv2d is conv2d_1 there, conv2d_1 is conv2d_2.</summary>
    private static string LegacyName(string name)
    {
        var match = AutoName().Match(name);
        if (!match.Success) return name;
        int n = match.Groups[2].Success ? int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
        return $"{match.Groups[1].Value}_{n + 1}";
    }

    [GeneratedRegex(@"^(conv2d|batch_normalization|activation|max_pooling2d|average_pooling2d|concatenate)(?:_(\d+))?$")]
    private static partial Regex AutoName();
}
