using TransferLearning.Models.Onnx;
using TransferLearning.Models.Preprocessing;
using TransferLearning.Models.Registry;
using TransferLearning.Models.Weights;

namespace TransferLearning.Models.Architectures;

/// <summary>
/// ResNet-18 with ImageNet weights, imported from the ONNX file in ML.NET's
/// <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> package (a CNTK export). Always available offline.
/// </summary>
public static class ResNet18Onnx
{
    /// <summary>The last ReLU of the CNTK graph: the feature map before the graph's own 7x7 average pool, so the head chooses its pooling.</summary>
    public const string FeatureMapOutput = "ReLU393_Output_0";

    /// <summary>The registry entry.</summary>
    public static readonly ModelEntry Entry = new(
        "ResNet18",
        new PretrainedConfig(224, 224, "caffe-mean-image",
            "embedded: NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0 (ResNet18.onnx)", "MIT"),
        Create);

    /// <summary>Builds the backbone: 69 layers (every Conv, BatchNormalization, Relu, Add, MaxPool node) ending at a 512-channel map.</summary>
    public static Backbone Create()
    {
        var graph = OnnxImporter.Load(EmbeddedWeights.Locate(EmbeddedWeights.ResNet18), FeatureMapOutput);
        var preprocessing = MeanImagePreprocessing.FromOnnx(EmbeddedWeights.Locate(EmbeddedWeights.ResNet18Preprocess));
        return new Backbone("ResNet18", graph, graph.Layers, preprocessing, featureChannels: 512);
    }
}
