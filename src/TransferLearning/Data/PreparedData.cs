namespace TransferLearning.Data;

/// <summary>The decoded training, validation and test images of a spec, with their class names.</summary>
/// <param name="ClassNames">Class names in label order.</param>
/// <param name="Train">Training images.</param>
/// <param name="Validation">Validation images, or null.</param>
/// <param name="Test">Test images, or null.</param>
/// <param name="IgnoredFiles">Files skipped for their extension.</param>
public sealed record PreparedData(IReadOnlyList<string> ClassNames, DecodedImages Train, DecodedImages? Validation, DecodedImages? Test, IReadOnlyList<string> IgnoredFiles)
{
    /// <summary>Files that failed to decode, across all splits.</summary>
    public IReadOnlyList<ImageDecodeException> Skipped =>
        Train.Skipped.Concat(Validation?.Skipped ?? []).Concat(Test?.Skipped ?? []).ToList();
}
