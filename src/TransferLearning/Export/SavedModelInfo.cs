using TransferLearning.Spec;

namespace TransferLearning.Export;

/// <summary>What <c>model.json</c> in an exported model folder says: everything needed to rebuild and feed the model.</summary>
public sealed record SavedModelInfo
{
    /// <summary>Folder format version.</summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>Registry name of the backbone, e.g. <c>ResNet18</c>.</summary>
    public required string Architecture { get; init; }

    /// <summary>Where the backbone's starting weights came from.</summary>
    public required string Weights { get; init; }

    /// <summary>Keras' width multiplier of the backbone (MobileNet, MobileNetV2).</summary>
    public double Alpha { get; init; } = 1.0;

    /// <summary>Class names in output order.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>Input height the model was trained at.</summary>
    public required int ImageHeight { get; init; }

    /// <summary>Input width the model was trained at.</summary>
    public required int ImageWidth { get; init; }

    /// <summary>The preprocessing built into the model (its input is RGB 0..255), for information.</summary>
    public required string Preprocessing { get; init; }

    /// <summary>Global pooling before the head.</summary>
    public required Models.GlobalPooling Pooling { get; init; }

    /// <summary>The head's configuration.</summary>
    public required HeadSpec Head { get; init; }

    /// <summary>Final validation figures, by name.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>When the model was exported (UTC).</summary>
    public DateTime CreatedUtc { get; init; } = DateTime.UtcNow;
}
