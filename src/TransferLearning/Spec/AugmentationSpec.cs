namespace TransferLearning.Spec;

/// <summary>
/// The spec's <c>augmentation</c> section, with Keras <c>ImageDataGenerator</c> meanings: ranges are
/// fractions of the image size (shifts), degrees (rotation) and a zoom factor range
/// <c>[1 - z, 1 + z]</c>; applied to training batches only.
/// </summary>
public sealed record AugmentationSpec
{
    /// <summary>Whether augmentation runs. Defaults to true when the section is present.</summary>
    public bool Enabled { get; init; }

    /// <summary>Random left-right flips.</summary>
    public bool HorizontalFlip { get; init; }

    /// <summary>Random up-down flips.</summary>
    public bool VerticalFlip { get; init; }

    /// <summary>Maximum rotation in degrees, either way.</summary>
    public double RotationRange { get; init; }

    /// <summary>Zoom factor range <c>[lower, upper]</c>; a single number z means <c>[1 - z, 1 + z]</c>.</summary>
    public double[] ZoomRange { get; init; } = [1, 1];

    /// <summary>Maximum horizontal shift as a fraction of the width.</summary>
    public double WidthShiftRange { get; init; }

    /// <summary>Maximum vertical shift as a fraction of the height.</summary>
    public double HeightShiftRange { get; init; }

    /// <summary>How points outside the image are filled. Defaults to nearest, as Keras.</summary>
    public FillMode FillMode { get; init; } = FillMode.Nearest;

    /// <summary>Fill value (0..255) for <see cref="FillMode.Constant"/>.</summary>
    public double Cval { get; init; }

    /// <summary>Brightness factor range <c>[lower, upper]</c>, or null for none.</summary>
    public double[]? BrightnessRange { get; init; }

    /// <summary>True when some transform is configured and <see cref="Enabled"/> is set.</summary>
    public bool IsActive => Enabled && (HorizontalFlip || VerticalFlip || RotationRange > 0 || ZoomRange[0] != 1 || ZoomRange[1] != 1
        || WidthShiftRange > 0 || HeightShiftRange > 0 || BrightnessRange is not null);
}
