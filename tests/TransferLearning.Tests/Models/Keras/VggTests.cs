using TransferLearning.Export;
using TransferLearning.Models.Architectures;
using TransferLearning.Models.Keras;
using TransferLearning.Runtime;
using static TorchSharp.torch;

namespace TransferLearning.Tests.Models.Keras;

/// <summary>Keras' VGG16 and VGG19: layer list, feature map, and the ReLU Keras keeps inside each <c>Conv2D</c>.</summary>
public sealed class VggTests
{
    /// <summary><c>len(model.layers)</c> with <c>include_top=False</c>: input, the convolutions (activation inside), 5 pools.</summary>
    [Theory]
    [InlineData("VGG16", 19)]
    [InlineData("VGG19", 22)]
    public void Layer_count_without_top_equals_Keras(string name, int expected)
    {
        TorchRuntime.EnsureLoaded();
        using var graph = KerasApplications.Get(name).Build(new KerasApplicationOptions(), out var channels);
        Assert.Equal(expected, graph.LayerCount);
        Assert.Equal(512, channels);
    }

    [Fact]
    public void VGG19_layers_are_named_as_Keras_names_them()
    {
        TorchRuntime.EnsureLoaded();
        using var graph = Vgg.VGG19.Build(new KerasApplicationOptions(IncludeTop: true), out _);
        var names = graph.Layers.Select(l => l.GetName()).ToList();
        Assert.Equal(["input_layer", "block1_conv1", "block1_conv2", "block1_pool", "block2_conv1"], names.Take(5));
        Assert.Equal(["block5_conv4", "block5_pool", "flatten", "fc1", "fc1_activation", "fc2", "fc2_activation", "predictions", "predictions_activation"],
            names.Skip(20));
    }

    [Fact]
    public void VGG16_gives_a_7x7x512_map_of_rectified_features_at_224()
    {
        TorchRuntime.EnsureLoaded();
        using var graph = Vgg.VGG16.Build(new KerasApplicationOptions(), out _);
        graph.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var map = graph.call(randn(1, 3, 224, 224));
        Assert.Equal(new long[] { 1, 512, 7, 7 }, map.shape);
        Assert.True(map.min().item<float>() >= 0, "block5_pool follows a ReLU convolution");
    }

    [Fact]
    public void A_conv_with_relu_is_one_layer_computing_relu_of_the_convolution_and_exports_as_Conv_then_Relu()
    {
        TorchRuntime.EnsureLoaded();
        var b = new KerasGraphBuilder();
        var output = b.Conv2D(b.Input, 4, 3, padding: "same", name: "block1_conv1", activation: "relu");
        using var graph = b.Build("one_conv", output);
        Assert.Equal(2, graph.LayerCount);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var parameters = graph.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        parameters["block1_conv1.bias"].copy_(tensor(new float[] { -1, 0, 1, 2 }));
        var x = randn(2, 3, 8, 8);
        var expected = nn.functional.relu(nn.functional.conv2d(x, parameters["block1_conv1.weight"], parameters["block1_conv1.bias"], padding: [1, 1]));
        var actual = graph.call(x);
        Assert.True(TensorAssert.Same(expected, actual));

        var writer = new OnnxGraphWriter();
        var exported = graph.Export(writer, "image", [1, 3, 8, 8]);
        var nodes = writer.Graph.Node.Where(n => n.OpType != "Identity").ToList();
        Assert.Equal(["Conv", "Relu"], nodes.Select(n => n.OpType));
        Assert.Equal(nodes[0].Output[0], nodes[1].Input[0]);
        Assert.Equal(exported, nodes[1].Output[0]);
    }

    [Fact]
    public void Weight_files_are_Keras_no_top_files_with_their_md5()
    {
        var file = Vgg.VGG19.NoTopWeights(1.0)!;
        Assert.Equal("vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5", file.FileName);
        Assert.Equal("https://storage.googleapis.com/tensorflow/keras-applications/vgg19/vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5", file.Url);
        Assert.Equal("253f8cb515780f3b799900260a226db6", file.Hash);
        Assert.Equal("caffe", Vgg.VGG16.PreprocessingMode);
    }
}
