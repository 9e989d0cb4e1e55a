using TransferLearning.Models.Architectures;
using TransferLearning.Models.Graph;
using TransferLearning.Models.Graph.Layers;
using TransferLearning.Models.Keras;
using TransferLearning.Runtime;
using static TorchSharp.torch;

namespace TransferLearning.Tests.Models.Keras;

/// <summary>EfficientNet B0-B7 against what <c>keras/src/applications/efficientnet.py</c> builds.</summary>
public sealed class EfficientNetTests
{
    [Fact]
    public void Random_kernels_are_drawn_as_Keras_EfficientNet_draws_them()
    {
        // CONV_KERNEL_INITIALIZER: VarianceScaling(2.0, "fan_out", "truncated_normal"), for Conv2D and DepthwiseConv2D alike:
        // variance 2 / fan_out, nothing beyond two (untruncated) standard deviations.
        TorchRuntime.EnsureLoaded();
        manual_seed(11);
        using var graph = EfficientNet.B0.Build(new KerasApplicationOptions(), out _);
        var parameters = graph.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, fanOut) in new[] { ("top_conv.weight", 1280L), ("block7a_dwconv.weight", 9L) })
        {
            var w = parameters[name];
            double expected = Math.Sqrt(2.0 / fanOut), std = w.std().item<float>();
            Assert.True(Math.Abs(std / expected - 1) < 0.03, $"{name}: standard deviation {std}, Keras' {expected}");
            Assert.True(w.abs().max().item<float>() <= 2 * expected / 0.87962566103423978 + 1e-6, $"{name}: a value beyond the truncation");
        }
    }

    [Fact]
    public void B0_without_top_lists_Keras_layers_in_Keras_order()
    {
        TorchRuntime.EnsureLoaded();
        using var graph = EfficientNet.B0.Build(new KerasApplicationOptions(), out var channels);
        var names = graph.Layers.Select(l => l.GetName()).ToList();
        // 4 (input, rescaling, normalization, rescaling_1) + 4 (stem) + 227 (16 blocks) + 3 (top): Keras' len(model.layers).
        Assert.Equal(238, names.Count);
        Assert.Equal(1280, channels);
        string[] head =
        [
            "input_layer", "rescaling", "normalization", "rescaling_1", "stem_conv_pad", "stem_conv", "stem_bn", "stem_activation",
            "block1a_dwconv", "block1a_bn", "block1a_activation", "block1a_se_squeeze", "block1a_se_reshape", "block1a_se_reduce",
            "block1a_se_expand", "block1a_se_excite", "block1a_project_conv", "block1a_project_bn",
            "block2a_expand_conv", "block2a_expand_bn", "block2a_expand_activation", "block2a_dwconv_pad", "block2a_dwconv",
        ];
        Assert.Equal(head, names.Take(head.Length));
        // block2b keeps stride 1 and its filters: stochastic depth and the residual add close it.
        Assert.Equal(["block2b_project_conv", "block2b_project_bn", "block2b_drop", "block2b_add", "block3a_expand_conv"],
            names.SkipWhile(n => n != "block2b_project_conv").Take(5));
        Assert.Equal(["block7a_project_bn", "top_conv", "top_bn", "top_activation"], names.TakeLast(4));
        // Stochastic depth grows linearly: 0.2 * block index / 16; block1a has rate 0 and no skip anyway.
        Assert.DoesNotContain("block1a_drop", names);
        Assert.DoesNotContain("block1a_add", names);
    }

    [Theory]
    [InlineData("EfficientNetB0", 1280, "block7a_project_bn")]
    [InlineData("EfficientNetB1", 1280, "block7b_add")]
    [InlineData("EfficientNetB2", 1408, "block7b_add")]
    [InlineData("EfficientNetB3", 1536, "block7b_add")]
    [InlineData("EfficientNetB4", 1792, "block7b_add")]
    [InlineData("EfficientNetB5", 2048, "block7c_add")]
    [InlineData("EfficientNetB6", 2304, "block7c_add")]
    [InlineData("EfficientNetB7", 2560, "block7d_add")]
    public void Width_and_depth_scale_as_round_filters_and_round_repeats(string name, long topChannels, string lastBlockLayer)
    {
        TorchRuntime.EnsureLoaded();
        using var graph = KerasApplications.Get(name).Build(new KerasApplicationOptions(), out var channels);
        Assert.Equal(topChannels, channels);
        var names = graph.Layers.Select(l => l.GetName()).ToList();
        Assert.Equal(lastBlockLayer, names[^4]);
    }

    [Fact]
    public void B7_repeats_its_fourth_and_sixth_stage_ceil_of_3_1_times_the_B0_depth()
    {
        TorchRuntime.EnsureLoaded();
        using var graph = EfficientNet.B7.Build(new KerasApplicationOptions(), out _);
        var names = graph.Layers.Select(l => l.GetName()).ToHashSet();
        Assert.Contains("block4j_add", names); // ceil(3.1 * 3) = 10 blocks
        Assert.DoesNotContain("block4k_dwconv", names);
        Assert.Contains("block6m_add", names); // ceil(3.1 * 4) = 13 blocks
        Assert.DoesNotContain("block6n_dwconv", names);
    }

    [Fact]
    public void Correct_pad_follows_the_actual_size_as_Keras_does_for_a_known_input_shape()
    {
        TorchRuntime.EnsureLoaded();
        using var graph = EfficientNet.B1.Build(new KerasApplicationOptions(), out _);
        var pad = graph.Layers.OfType<CorrectPadLayer>().Single(l => l.GetName() == "block6a_dwconv_pad"); // kernel 5
        Assert.Equal([1, 1, 2, 2], pad.Pads(14, 14)); // even: ((1, 2), (1, 2))
        Assert.Equal([2, 2, 2, 2], pad.Pads(15, 15)); // odd (B1's 240 gives 15 here): ((2, 2), (2, 2))
        var stem = graph.Layers.OfType<CorrectPadLayer>().Single(l => l.GetName() == "stem_conv_pad"); // kernel 3
        Assert.Equal([0, 0, 1, 1], stem.Pads(240, 240));
        Assert.Equal([1, 1, 1, 1], stem.Pads(75, 75));
    }

    [Theory]
    [InlineData("EfficientNetB0", 224, 7)]
    [InlineData("EfficientNetB1", 240, 8)]
    public void Feature_map_at_the_default_size_is_Keras(string name, int size, long side)
    {
        TorchRuntime.EnsureLoaded();
        using var graph = KerasApplications.Get(name).Build(new KerasApplicationOptions(), out var channels);
        graph.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Assert.Equal(new[] { 1, channels, side, side }, graph.call(rand(1, 3, size, size) * 255).shape);
    }
}
