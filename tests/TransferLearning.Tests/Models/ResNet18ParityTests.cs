using TransferLearning.Models.Graph;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;
using TransferLearning.Data;
using TransferLearning.Models.Architectures;
using TransferLearning.Models.Onnx;
using TransferLearning.Models.Preprocessing;
using TransferLearning.Models.Weights;
using TransferLearning.Runtime;
using static TorchSharp.torch;

namespace TransferLearning.Tests.Models;

/// <summary>The imported ResNet-18 computes what ONNX Runtime computes from the same file, on real photos.</summary>
public sealed class ResNet18ParityTests
{
    public ResNet18ParityTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void Imported_graph_matches_onnx_runtime_on_real_flower_photos()
    {
        var modelPath = EmbeddedWeights.Locate(EmbeddedWeights.ResNet18);
        using var graph = OnnxImporter.Load(modelPath);
        graph.eval();
        using var preprocessing = MeanImagePreprocessing.FromOnnx(EmbeddedWeights.Locate(EmbeddedWeights.ResNet18Preprocess));
        using var session = new InferenceSession(modelPath);
        var inputName = session.InputMetadata.Keys.Single();

        foreach (var photo in SharedData.FlowerPhotos(1))
        {
            using var scope = NewDisposeScope();
            var pixels = ImageDecoder.DecodeRgb(photo, 224, 224);
            var rgb = tensor(pixels, [1, 224, 224, 3]).permute(0, 3, 1, 2).to(float32);
            var input = preprocessing.Apply(rgb).contiguous();

            float[] ours;
            using (no_grad()) ours = graph.call(input).flatten().data<float>().ToArray();

            var ortInput = new DenseTensor<float>(input.data<float>().ToArray(), [1, 3, 224, 224]);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, ortInput)]);
            var expected = results.Single().AsEnumerable<float>().ToArray();

            Assert.Equal(512, ours.Length);
            Assert.Equal(expected.Length, ours.Length);
            var scale = expected.Max(Math.Abs);
            var worst = ours.Zip(expected, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst <= 1e-4 * scale, $"{Path.GetFileName(photo)}: max |ours - ort| = {worst:G3}, relative {worst / scale:G3} > 1e-4");
            Assert.True(scale > 0.1, "features should not be all zero");
        }
    }

    [Fact]
    public void Preprocessing_matches_mlnet_preprocess_graph()
    {
        var prepPath = EmbeddedWeights.Locate(EmbeddedWeights.ResNet18Preprocess);
        using var preprocessing = MeanImagePreprocessing.FromOnnx(prepPath);
        using var session = new InferenceSession(prepPath);
        var photo = SharedData.FlowerPhotos(1)[0];
        var pixels = ImageDecoder.DecodeRgb(photo, 224, 224);
        using var rgb = tensor(pixels, [1, 224, 224, 3]).permute(0, 3, 1, 2).to(float32).contiguous();
        var ours = preprocessing.Apply(rgb).data<float>().ToArray();
        var input = new DenseTensor<float>(rgb.data<float>().ToArray(), [1, 3, 224, 224]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), input)]);
        var expected = results.Single().AsEnumerable<float>().ToArray();
        Assert.Equal(expected, ours, (a, b) => Math.Abs(a - b) < 1e-4);
    }

    [Fact]
    public void Backbone_is_trainable_and_exposes_its_layers_in_forward_order()
    {
        using var backbone = ResNet18Onnx.Create();
        Assert.Equal(512, backbone.FeatureChannels);
        Assert.Equal("Convolution249", backbone.Layers[0].GetName());
        Assert.Equal("ReLU393", backbone.Layers[^1].GetName());
        var counts = backbone.Layers.Cast<GraphLayer>().GroupBy(l => l.OpType).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(22, counts["Conv"]); // the CNTK export has three blocks in its last stage, not two
        Assert.Equal(22, counts["BatchNormalization"]);
        Assert.Equal(9, counts["Add"]);
        Assert.Equal(73, backbone.Layers.Count);
        Assert.Equal(22 + 2 * 22, backbone.parameters().Count()); // conv weights (no biases in the CNTK export), BN gamma and beta
        // Every trainable float of the ONNX file (110 initializers less the 44 running statistics).
        Assert.Equal(15_897_152, backbone.parameters().Sum(p => p.numel()));

        backbone.train();
        using var x = randn(2, 3, 64, 64);
        using var features = backbone.call(x);
        Assert.Equal(new long[] { 2, 512, 2, 2 }, features.shape);
        using var loss = features.square().mean();
        loss.backward();
        Assert.All(backbone.parameters(), p => Assert.NotNull(p.grad));
        Assert.True(backbone.parameters().First().grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Unsupported_operators_are_reported_with_the_node_name()
    {
        var graph = new global::Onnx.GraphProto();
        graph.Input.Add(new global::Onnx.ValueInfoProto { Name = "x" });
        graph.Output.Add(new global::Onnx.ValueInfoProto { Name = "y" });
        graph.Node.Add(new global::Onnx.NodeProto { Name = "weird_node", OpType = "Einsum", Input = { "x" }, Output = { "y" } });
        var error = Assert.Throws<UnsupportedOnnxException>(() => OnnxImporter.Build(graph, "test"));
        Assert.Contains("weird_node", error.Message);
        Assert.Contains("Einsum", error.Message);
    }
}
