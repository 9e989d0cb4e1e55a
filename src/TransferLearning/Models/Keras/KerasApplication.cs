using TransferLearning.Models.Graph;
using TransferLearning.Models.Preprocessing;
using TransferLearning.Models.Registry;
using TransferLearning.Models.Weights;

namespace TransferLearning.Models.Keras;

/// <summary>
/// One Keras application (<c>keras.applications.MobileNetV2</c>, ...) as its own config, after timm's pretrained configs:
/// the layer definition, default input size, <c>preprocess_input</c> mode and the ImageNet weight files with the URLs and
/// checksums Keras' source gives. <see cref="Build"/> is the uniform constructor; <see cref="Entry"/> registers it.
/// </summary>
public sealed record KerasApplication
{
    /// <summary>Keras' name, e.g. <c>MobileNetV2</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Default (and pretraining) input size, square.</summary>
    public required int InputSize { get; init; }

    /// <summary>Keras' <c>preprocess_input</c> mode: <c>caffe</c>, <c>tf</c>, <c>torch</c> or <c>none</c>.</summary>
    public required string PreprocessingMode { get; init; }

    /// <summary>Adds the layers to a builder, as the Keras source does; returns the output.</summary>
    public required Func<KerasGraphBuilder, KerasApplicationOptions, string> Define { get; init; }

    /// <summary>The ImageNet weights without top for an alpha, or null when Keras has none for it.</summary>
    public required Func<double, WeightsFile?> NoTopWeights { get; init; }

    /// <summary>Whether the architecture takes Keras' <c>alpha</c>.</summary>
    public bool HasAlpha { get; init; }

    /// <summary>Builds the layer graph, randomly initialised as Keras does (load weights with <see cref="KerasWeightLoader"/>).</summary>
    public LayerGraph Build(KerasApplicationOptions options, out long outputChannels)
    {
        var builder = new KerasGraphBuilder();
        var output = Define(builder, options);
        outputChannels = builder.Channels(output);
        return builder.Build(HasAlpha ? $"{Name.ToLowerInvariant()}_{options.Alpha:0.00}_{InputSize}" : Name.ToLowerInvariant(), output);
    }

    /// <summary>The registry entry.</summary>
    public ModelEntry Entry => new(Name,
        new PretrainedConfig(InputSize, InputSize, PreprocessingMode,
            NoTopWeights(1.0) is { } file ? $"Keras: {file.FileName}" : "none", "Apache-2.0 (Keras)", NoTopWeights(1.0)),
        () => KerasPreprocessing.ForMode(PreprocessingMode), CreateBackbone);

    /// <summary>Builds the backbone without top and loads the requested weights.</summary>
    public Backbone CreateBackbone(BackboneRequest request)
    {
        var log = request.Log ?? (_ => { });
        if (!HasAlpha && request.Alpha != 1.0)
            throw new ArgumentException($"{Name} has no width multiplier: model.alpha must be 1.0 (it is for MobileNet and MobileNetV2).");
        var graph = Build(new KerasApplicationOptions(request.Alpha), out var channels);
        switch (request.Weights)
        {
            case null:
                break;
            case "none":
                log($"warning: {Name} starts from random weights (model.weights \"none\"); transfer learning expects pretrained ones");
                break;
            case "imagenet":
                var file = NoTopWeights(request.Alpha) ?? throw new ArgumentException(
                    $"Keras has no ImageNet weights for {Name} with alpha {request.Alpha}; use one of 0.25, 0.5, 0.75, 1.0 (MobileNet) or 0.35, 0.5, 0.75, 1.0, 1.3, 1.4 (MobileNetV2).");
                var path = WeightsResolver.Resolve(file, request.WeightsCache, log, WeightsResolver.LogProgress(file.FileName, log),
                    cancellation: request.Cancellation);
                log($"{Name}: {KerasWeightLoader.Load(graph, ReadWeights(path))} from {path}");
                break;
            case var weightsPath:
                log($"{Name}: {KerasWeightLoader.Load(graph, ReadWeights(weightsPath))} from {weightsPath}");
                break;
        }
        return new Backbone(Name, graph, graph.Layers, KerasPreprocessing.ForMode(PreprocessingMode), (int)channels);
    }

    /// <summary>A Keras <c>.h5</c> file (either layout) or a TensorFlow.js <c>model.json</c>.</summary>
    public static KerasWeightFile ReadWeights(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: weights file not found (model.weights).", path);
        if (path.EndsWith(".keras", StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{path}: a Keras 3 .keras archive, which is not read yet; in Keras 3 save with " +
                "model.save(\"model.h5\") (the legacy HDF5 format) and give that file.");
        return path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? TfjsWeights.Read(path) : KerasH5.Read(path);
    }
}
