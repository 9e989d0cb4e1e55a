namespace TransferLearning.Spec;

/// <summary>The spec's <c>dataset</c> section: where the labelled images are and how to split them.</summary>
public sealed record DatasetSpec
{
    /// <summary>Folder with one sub-folder per class, to split into training and validation. Relative paths are resolved against the spec file's folder.</summary>
    public string? Path { get; init; }

    /// <summary>Pre-split training folder (instead of <see cref="Path"/>).</summary>
    public string? TrainPath { get; init; }

    /// <summary>Pre-split validation folder.</summary>
    public string? ValidationPath { get; init; }

    /// <summary>Optional held-out test folder, evaluated once at the end.</summary>
    public string? TestPath { get; init; }

    /// <summary><c>[height, width]</c> the images are resized to. Defaults to the architecture's pretrained input size.</summary>
    public int[]? ImageSize { get; init; }

    /// <summary>Fraction of <see cref="Path"/> held out for validation, in (0, 1). No default: without it (and without
    /// <see cref="ValidationPath"/>) there is no validation data, as in Keras.</summary>
    public double? ValidationSplit { get; init; }

    /// <summary>Seed for the split, shuffling, augmentation and initialisation. Absent: a random seed, recorded in the run.</summary>
    public int? Seed { get; init; }

    /// <summary>Label encoding (<c>categorical</c> or <c>int</c>/<c>sparse</c>); both train the same softmax head. Defaults to categorical.</summary>
    public ClassMode ClassMode { get; init; } = ClassMode.Categorical;

    /// <summary>Class folder names in label order (Keras' <c>class_names</c>). Defaults to the sub-folders, sorted.</summary>
    public string[]? ClassNames { get; init; }

    /// <summary>Memory budget for keeping decoded images in RAM, in MB. Defaults to 2048.</summary>
    public int CacheBudgetMb { get; init; } = 2048;
}
