using TransferLearning.Models.Architectures;
using TransferLearning.Models.Graph.Layers;
using TransferLearning.Models.Keras;
using TransferLearning.Runtime;
using static TorchSharp.torch;

namespace TransferLearning.Tests.Models.Keras;

/// <summary>Keras' ResNet v1 family: layer list, block naming and feature map as <c>keras.applications.resnet</c> gives them.</summary>
public sealed class ResNetTests
{
    /// <summary>
    /// <c>len(model.layers)</c> with <c>include_top=False</c>: input and 6 stem layers, 12 layers per projection block
    /// (one per stack) and 10 per identity block.
    /// </summary>
    [Theory]
    [InlineData("ResNet50", 175)]
    [InlineData("ResNet101", 345)]
    [InlineData("ResNet152", 515)]
    public void Layer_count_without_top_equals_Keras(string name, int expected)
    {
        TorchRuntime.EnsureLoaded();
        using var graph = KerasApplications.Get(name).Build(new KerasApplicationOptions(), out var channels);
        Assert.Equal(expected, graph.LayerCount);
        Assert.Equal(2048, channels);
        Assert.All(graph.Layers.OfType<BatchNormLayer>(), bn => Assert.Equal(1.001e-5, bn.Epsilon));
    }

    [Fact]
    public void Layers_are_named_and_ordered_as_Keras_lists_them()
    {
        TorchRuntime.EnsureLoaded();
        using var graph = ResNet.ResNet50.Build(new KerasApplicationOptions(IncludeTop: true), out _);
        var names = graph.Layers.Select(l => l.GetName()).ToList();
        Assert.Equal(
            ["input_layer", "conv1_pad", "conv1_conv", "conv1_bn", "conv1_relu", "pool1_pad", "pool1_pool",
             "conv2_block1_1_conv", "conv2_block1_1_bn", "conv2_block1_1_relu", "conv2_block1_2_conv", "conv2_block1_2_bn", "conv2_block1_2_relu",
             // Keras orders model.layers by depth: the projection shortcut sits beside the last 1x1 convolution.
             "conv2_block1_0_conv", "conv2_block1_3_conv", "conv2_block1_0_bn", "conv2_block1_3_bn", "conv2_block1_add", "conv2_block1_out",
             "conv2_block2_1_conv"],
            names.Take(20));
        Assert.Equal(["conv5_block3_add", "conv5_block3_out", "avg_pool", "predictions", "predictions_activation"], names.TakeLast(5));
        Assert.Contains("conv3_block4_out", names);
        Assert.DoesNotContain("conv3_block5_out", names);
        Assert.DoesNotContain("conv2_block2_0_conv", names);
    }

    [Fact]
    public void ResNet50_gives_a_7x7x2048_map_at_224()
    {
        TorchRuntime.EnsureLoaded();
        using var graph = ResNet.ResNet50.Build(new KerasApplicationOptions(), out _);
        graph.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Assert.Equal(new long[] { 1, 2048, 7, 7 }, graph.call(randn(1, 3, 224, 224)).shape);
    }

    [Fact]
    public void Weight_files_are_Keras_no_top_files_with_their_md5()
    {
        var file = ResNet.ResNet101.NoTopWeights(1.0)!;
        Assert.Equal("resnet101_weights_tf_dim_ordering_tf_kernels_notop.h5", file.FileName);
        Assert.Equal("https://storage.googleapis.com/tensorflow/keras-applications/resnet/resnet101_weights_tf_dim_ordering_tf_kernels_notop.h5", file.Url);
        Assert.Equal("88cf7a10940856eca736dc7b7e228a21", file.Hash);
        Assert.Equal("md5", file.HashAlgorithm);
        Assert.Equal("caffe", ResNet.ResNet152.PreprocessingMode);
    }
}
