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
        Preprocess, Create);

    /// <summary>Builds the backbone: 69 layers (every Conv, BatchNormalization, Relu, Add, MaxPool node) ending at a 512-channel map.</summary>
    /// <exception cref="ArgumentException">Anything but its embedded ImageNet weights, or an alpha, was asked for.</exception>
    public static Backbone Create(BackboneRequest? request = null)
    {
        request ??= new BackboneRequest();
        if (request.Weights is not (null or "imagenet"))
            throw new ArgumentException($"ResNet18 comes only with its embedded ImageNet weights (model.weights \"imagenet\"), not \"{request.Weights}\".");
        if (request.Alpha != 1.0) throw new ArgumentException("ResNet18 has no width multiplier: model.alpha must be 1.0.");
        var graph = OnnxImporter.Load(EmbeddedWeights.Locate(EmbeddedWeights.ResNet18), FeatureMapOutput);
        return new Backbone("ResNet18", graph, graph.Layers, Preprocess(), featureChannels: 512);
    }

    /// <summary>Caffe-style with the CNTK model's mean image (ML.NET's ResNetPreprocess.onnx).</summary>
    public static Preprocessing.Preprocessing Preprocess() => MeanImagePreprocessing.FromOnnx(EmbeddedWeights.Locate(EmbeddedWeights.ResNet18Preprocess));
}
