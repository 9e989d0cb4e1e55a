namespace TransferLearning.Models.Registry;

/// <summary>One architecture the registry knows: its Keras-style name, its pretrained config and how to build it.</summary>
/// <param name="Name">The name used in specs (<c>model.base_architecture</c>), e.g. <c>ResNet18</c>, <c>EfficientNetB0</c>.</param>
/// <param name="Pretrained">Input size, preprocessing and weights source.</param>
/// <param name="CreatePreprocessing">The preprocessing its ImageNet weights expect (also used for an ONNX backbone given as weights).</param>
/// <param name="CreateBackbone">Builds the backbone (without classifier) as requested.</param>
public sealed record ModelEntry(string Name, PretrainedConfig Pretrained, Func<Preprocessing.Preprocessing> CreatePreprocessing,
    Func<BackboneRequest, Backbone> CreateBackbone)
{
    /// <summary>
    /// Builds the backbone as requested; when <see cref="BackboneRequest.Weights"/> is an ONNX file, that graph is the
    /// backbone (it must end at a feature map) and this architecture only gives its preprocessing.
    /// </summary>
    public Backbone Create(BackboneRequest request) =>
        request.Weights is { } path && path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)
            ? OnnxBackbone.Load(path, Name, CreatePreprocessing())
            : CreateBackbone(request);

    /// <summary>
    /// Where its ImageNet weights would come from now: <c>("embedded", file)</c>, <c>("cached", path)</c> (the project's
    /// cache or Keras' own), or <c>("downloadable", url)</c> (fetched on first use).
    /// </summary>
    public (string Kind, string Where) WeightsLocation(string? cacheFolder = null)
    {
        if (Pretrained.WeightsFile is not { } file) return ("embedded", Pretrained.WeightsSource);
        var cached = Weights.WeightsCache.SearchFolders(cacheFolder).Select(f => Path.Combine(f, file.FileName)).FirstOrDefault(File.Exists);
        return cached is null ? ("downloadable", file.Url) : ("cached", cached);
    }

    /// <summary>Parameters of the backbone without top, counted as Keras' <c>count_params()</c> (moving statistics included). Builds it once.</summary>
    public long CountBackboneParameters()
    {
        using var backbone = Create(BackboneRequest.StructureOnly());
        return backbone.parameters().Sum(p => p.numel()) + backbone.buffers().Sum(b => b.numel());
    }
}
