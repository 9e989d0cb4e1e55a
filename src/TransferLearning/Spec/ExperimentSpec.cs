namespace TransferLearning.Spec;

/// <summary>
/// A whole transfer-learning spec, as in the seed JSON: validated, typed, with every default filled in.
/// Made by <see cref="SpecLoader"/>; every later stage reads this, never the JSON.
/// </summary>
public sealed record ExperimentSpec
{
    /// <summary>The folder relative paths are resolved against (the spec file's folder).</summary>
    public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>The <c>dataset</c> section.</summary>
    public DatasetSpec Dataset { get; init; } = new();

    /// <summary>The <c>model</c> section.</summary>
    public ModelSpec Model { get; init; } = new();

    /// <summary>The <c>head</c> section.</summary>
    public HeadSpec Head { get; init; } = new();

    /// <summary>The <c>training</c> section.</summary>
    public TrainingSpec Training { get; init; } = new();

    /// <summary>The <c>augmentation</c> section.</summary>
    public AugmentationSpec Augmentation { get; init; } = new();

    /// <summary>Metrics logged per epoch; <c>loss</c> and <c>accuracy</c> always are. Defaults to accuracy.</summary>
    public string[] Metrics { get; init; } = ["accuracy"];

    /// <summary>The <c>outputs</c> section.</summary>
    public OutputsSpec Outputs { get; init; } = new();

    /// <summary>Where to train. Defaults to auto (CUDA when available).</summary>
    public DeviceKind Device { get; init; } = DeviceKind.Auto;

    /// <summary>Resolves a spec path against <see cref="BaseDirectory"/>; a leading <c>~</c> is the home folder.</summary>
    public string Resolve(string path) => Runtime.HomePath.FullPath(path, BaseDirectory);

    /// <summary>True when there is validation data (a split or a folder).</summary>
    public bool HasValidation => Dataset.ValidationSplit is not null || Dataset.ValidationPath is not null;
}
