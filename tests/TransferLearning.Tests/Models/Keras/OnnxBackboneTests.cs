using Google.Protobuf;
using Onnx;
using TransferLearning.Export;
using TransferLearning.Models;
using TransferLearning.Models.Architectures;
using TransferLearning.Models.Keras;
using TransferLearning.Models.Preprocessing;
using TransferLearning.Runtime;
using TransferLearning.Spec;
using TransferLearning.Tests.Export;
using static TorchSharp.torch;

namespace TransferLearning.Tests.Models.Keras;

/// <summary><c>model.weights</c> pointing at an ONNX file: its graph becomes the backbone, preprocessed as the named family.</summary>
public sealed class OnnxBackboneTests
{
    /// <summary>The real Keras MobileNet a0.25 backbone written as a standalone ONNX graph for 128x128 inputs.</summary>
    private static (string Path, TransferLearning.Models.Graph.LayerGraph Graph) WriteMobileNetOnnx(string folder)
    {
        var graph = MobileNet.Application.Build(new KerasApplicationOptions(0.25), out _);
        KerasWeightLoader.Load(graph, KerasH5.Read(Path.Combine(SharedData.Root, "weights", "keras-mobilenet-a0.25-224", "mobilenet_v1_0.25_224.h5")));
        graph.eval();
        var writer = new OnnxGraphWriter();
        writer.Unique("image");
        var output = graph.Export(writer, "image", [1, 3, 128, 128]);
        return (WriteModel(writer, output, 128, Path.Combine(folder, "mobilenet_backbone.onnx")), graph);
    }

    /// <summary>Writes the graph with input <c>image</c> [1, 3, size, size] and the given output as an opset-13 model file.</summary>
    private static string WriteModel(OnnxGraphWriter writer, string output, long size, string path)
    {
        writer.Graph.Input.Add(OnnxValues.Float("image", 1, 3, size, size));
        writer.Graph.Output.Add(new ValueInfoProto { Name = output });
        var model = new ModelProto { IrVersion = 8, Graph = writer.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    [Fact]
    public void An_exported_Keras_backbone_imports_back_with_the_same_features_and_trains()
    {
        TorchRuntime.EnsureLoaded();
        var folder = Data.TestImages.NewFolder();
        var (path, keras) = WriteMobileNetOnnx(folder);
        using var backbone = OnnxBackbone.Load(path, "MobileNet", KerasPreprocessing.ForMode("tf"));
        Assert.Equal(256, backbone.FeatureChannels);
        backbone.eval();
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var input = rand(2, 3, 128, 128) * 2 - 1;
            var expected = keras.call(input);
            var actual = backbone.call(input);
            var difference = (expected - actual).abs().max().item<float>();
            Assert.True(difference < 1e-4, $"largest difference {difference}; shapes {string.Join("x", expected.shape)} vs {string.Join("x", actual.shape)}");
        }

        var spec = SpecLoader.Parse($$$"""
            {
              "dataset": {"path": "{{{Path.Combine(ExampleData.Folder, "data")}}}", "image_size": [128, 128], "validation_split": 0.2, "seed": 3},
              "model": {"base_architecture": "MobileNet", "weights": "{{{path}}}"},
              "training": {"feature_extraction_epochs": 8, "batch_size": 16, "learning_rates": {"feature_extraction": 0.003}}
            }
            """, folder);
        var log = new List<string>();
        var result = Experiment.Run(spec, new RunOptions { OutputDirectory = Path.Combine(folder, "run"), Log = log.Add });
        Assert.Contains(log, l => l.StartsWith("backbone MobileNet:") && l.Contains(path));
        Assert.True(result.Validation!.Report.Accuracy > 0.4, $"validation accuracy {result.Validation.Report.Accuracy}");
        using var predictor = Predictor.Load(result.ModelDirectory); // rebuilt from the same ONNX file
        Assert.Equal(path, predictor.Info.Weights);
    }

    [Fact]
    public void An_onnx_file_that_ends_in_a_vector_is_refused()
    {
        TorchRuntime.EnsureLoaded();
        var folder = Data.TestImages.NewFolder();
        var writer = new OnnxGraphWriter();
        writer.Unique("image");
        var pooled = writer.Node("GlobalAveragePool", ["image"], name: "pool");
        var flat = writer.Node("Flatten", [pooled], name: "flatten", attributes: ("axis", 1L));
        var path = WriteModel(writer, flat, 32, Path.Combine(folder, "pooled.onnx"));
        var error = Assert.Throws<InvalidDataException>(() => OnnxBackbone.Load(path, "MobileNet", KerasPreprocessing.ForMode("tf")));
        Assert.Contains("feature map [N, C, h, w]", error.Message);
    }
}
