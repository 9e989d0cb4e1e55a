namespace TransferLearning.Spec;

/// <summary>The spec's <c>model</c> section: which pretrained backbone and how much of it trains.</summary>
public sealed record ModelSpec
{
    /// <summary>Architecture name as in Keras applications (e.g. <c>ResNet50</c>, <c>EfficientNetB0</c>) or <c>ResNet18</c>.</summary>
    public string BaseArchitecture { get; init; } = "ResNet18";

    /// <summary>
    /// <c>imagenet</c> (default), <c>none</c> (or JSON null) for random initialisation, a path to a Keras <c>.h5</c> weights file
    /// (either layout) or TensorFlow.js <c>model.json</c>, or a path to an ONNX file whose graph becomes the backbone. Paths are relative to the spec's folder.
    /// </summary>
    public string Weights { get; init; } = "imagenet";

    /// <summary>Keras' <c>include_top</c>; must be false for transfer learning (the default).</summary>
    public bool IncludeTop { get; init; }

    /// <summary>How training proceeds. Defaults to <see cref="TrainableStrategy.FeatureExtraction"/>.</summary>
    public TrainableStrategy TrainableStrategy { get; init; } = TrainableStrategy.FeatureExtraction;

    /// <summary>How many of the backbone's last layers (Keras <c>base_model.layers[-N:]</c>) unfreeze for fine-tuning. Absent: all.</summary>
    public int? FineTuneUnfreezeLayers { get; init; }

    /// <summary>Width multiplier for MobileNet/MobileNetV2 (Keras <c>alpha</c>). Defaults to 1.0.</summary>
    public double Alpha { get; init; } = 1.0;

    /// <summary>A folder searched first for ImageNet weight files, and where downloads go (else <c>$TL_WEIGHTS_DIR</c> or <c>~/.cache/transfer-learning/weights</c>).</summary>
    public string? WeightsCache { get; init; }

    /// <summary>BatchNorm behaviour when trainable. Defaults to <see cref="BatchNormMode.Frozen"/>.</summary>
    public BatchNormMode BatchNorm { get; init; } = BatchNormMode.Frozen;
}
