using TransferLearning.Models.Architectures;
using TransferLearning.Models.Keras;
using TransferLearning.Runtime;
using static TorchSharp.torch;

namespace TransferLearning.Tests.Models.Keras;

/// <summary>DenseNet121/169/201 against what <c>densenet.py</c> gives with <c>include_top=False</c>.</summary>
public sealed class DenseNetTests
{
    /// <summary>
    /// <c>len(model.layers)</c>: input, 6 stem layers, 7 per conv block (6+12+24+16 = 58 blocks for 121), 4 per transition,
    /// and the final bn and relu; and the channels of the 7x7 map at 224x224 (64 + 32 per block, halved by each transition).
    /// </summary>
    [Theory]
    [InlineData("DenseNet121", 427, 1024)]
    [InlineData("DenseNet169", 595, 1664)]
    [InlineData("DenseNet201", 707, 1920)]
    public void Layer_count_and_feature_map_at_224_are_Keras(string name, int layers, long channels)
    {
        TorchRuntime.EnsureLoaded();
        using var graph = KerasApplications.Get(name).Build(new KerasApplicationOptions(), out var outputChannels);
        Assert.Equal(layers, graph.LayerCount);
        Assert.Equal(channels, outputChannels);
        graph.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Assert.Equal(new long[] { 1, channels, 7, 7 }, graph.call(zeros(1, 3, 224, 224)).shape);
    }

    [Fact]
    public void Layers_have_Keras_names_in_Keras_order_and_the_paddings_are_auto_named()
    {
        TorchRuntime.EnsureLoaded();
        using var graph = DenseNet.DenseNet121.Build(new KerasApplicationOptions(), out _);
        var names = graph.Layers.Select(l => l.GetName()).ToList();
        Assert.Equal(
            ["input_layer", "zero_padding2d", "conv1_conv", "conv1_bn", "conv1_relu", "zero_padding2d_1", "pool1",
             "conv2_block1_0_bn", "conv2_block1_0_relu", "conv2_block1_1_conv", "conv2_block1_1_bn", "conv2_block1_1_relu", "conv2_block1_2_conv", "conv2_block1_concat"],
            names.Take(14));
        Assert.Equal(["conv2_block6_concat", "pool2_bn", "pool2_relu", "pool2_conv", "pool2_pool", "conv3_block1_0_bn"],
            names.SkipWhile(n => n != "conv2_block6_concat").Take(6));
        Assert.Equal(["conv5_block16_concat", "bn", "relu"], names.TakeLast(3));
    }

    [Fact]
    public void Weight_files_are_Keras_no_top_files_with_their_md5()
    {
        var file = DenseNet.DenseNet169.NoTopWeights(1.0)!;
        Assert.Equal("densenet169_weights_tf_dim_ordering_tf_kernels_notop.h5", file.FileName);
        Assert.Equal("https://storage.googleapis.com/tensorflow/keras-applications/densenet/densenet169_weights_tf_dim_ordering_tf_kernels_notop.h5", file.Url);
        Assert.Equal("md5", file.HashAlgorithm);
        Assert.Null(DenseNet.DenseNet121.NoTopWeights(0.5));
        Assert.Equal("torch", DenseNet.DenseNet201.PreprocessingMode);
    }
}
