using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using TorchSharp;
using TransferLearning.Export;
using TransferLearning.Models.Architectures;
using TransferLearning.Models.Graph;
using TransferLearning.Models.Graph.Layers;
using TransferLearning.Models.Keras;
using TransferLearning.Runtime;
using TransferLearning.Tests.Export;
using static TorchSharp.torch;

namespace TransferLearning.Tests.Models.Keras;

/// <summary>Every exported model.onnx holds its backbone's graph: one architecture of each family, run by ONNX Runtime, gives TorchSharp's features.</summary>
public sealed class KerasOnnxExportTests
{
    [Theory]
    [InlineData("MobileNet", 72)]
    [InlineData("MobileNetV2", 72)]
    [InlineData("ResNet50", 72)]
    [InlineData("VGG16", 72)]
    [InlineData("DenseNet121", 72)]
    [InlineData("InceptionV3", 75)] // Keras' minimum size
    [InlineData("EfficientNetB0", 72)] // 72 gives odd sizes (9, then 5) before block4a's and block6a's stride-2 convolutions
    public void Onnx_Runtime_computes_the_backbone_as_TorchSharp_does(string name, int size)
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(7);
        using var graph = KerasApplications.Get(name).Build(new KerasApplicationOptions(), out _);
        graph.eval();
        CalibrateBatchNorm(graph, rand(4, 3, size, size) * 255);
        var writer = new OnnxGraphWriter();
        writer.Unique("rgb");
        var output = graph.Export(writer, "rgb", [1, 3, size, size]);
        writer.Graph.Input.Add(OnnxValues.Float("rgb", 1, 3, size, size));
        writer.Graph.Output.Add(OnnxValues.Float(output));
        var model = new ModelProto { IrVersion = 8, Graph = writer.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = rand(1, 3, size, size) * 255;
        var expected = graph.call(input).data<float>().ToArray();
        using var session = new InferenceSession(model.ToByteArray());
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("rgb", new DenseTensor<float>(input.data<float>().ToArray(), [1, 3, size, size]))]);
        var actual = results.Single().AsEnumerable<float>().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        Assert.True(expected.Any(v => Math.Abs(v) > 1e-2), "the features are all near zero: a weak comparison");
        // Random deep networks amplify float32 rounding (InceptionV3's features reach ~1000), so both runtimes are
        // compared with the float64 result: the export must add no error beyond what float32 itself costs.
        graph.to(ScalarType.Float64);
        var truth = graph.call(input.to(ScalarType.Float64)).to(ScalarType.Float32).data<float>().ToArray();
        static double Worst(float[] values, float[] truth) => values.Zip(truth, (v, t) => Math.Abs(v - t) / Math.Max(1, Math.Abs(t))).Max();
        double torchError = Worst(expected, truth), onnxError = Worst(actual, truth);
        Assert.True(onnxError < Math.Max(1e-4, 2 * torchError), $"ONNX Runtime is {onnxError} from the float64 result, TorchSharp float32 {torchError}");
    }

    /// <summary>Sets each BatchNorm's moving statistics to those of its input on <paramref name="batch"/>, so that random weights keep features away from zero.</summary>
    private static void CalibrateBatchNorm(LayerGraph graph, TorchSharp.torch.Tensor batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var values = new Dictionary<string, TorchSharp.torch.Tensor> { [graph.Steps[0].Inputs[0]] = batch };
        foreach (var (layer, inputs) in graph.Steps)
        {
            var x = inputs.Select(i => values[i]).ToArray();
            if (layer is BatchNormLayer)
            {
                var buffers = layer.named_buffers().ToDictionary(b => b.name, b => b.buffer);
                buffers["running_mean"].copy_(x[0].mean([0, 2, 3]));
                buffers["running_var"].copy_(x[0].var([0, 2, 3]));
            }
            values[layer.GetName()] = layer.call(x);
        }
    }
}
