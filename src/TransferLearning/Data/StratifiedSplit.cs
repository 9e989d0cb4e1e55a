namespace TransferLearning.Data;

/// <summary>
/// A seeded, stratified train/validation split: each class contributes the same fraction of its images
/// to validation (rounded, at least one when the class has two or more). Stratified rather than Keras'
/// global shuffle-then-cut because small or imbalanced data sets otherwise get validation sets that
/// miss or over-represent classes; the same seed always gives the same split.
/// </summary>
public static class StratifiedSplit
{
    /// <summary>Splits <paramref name="images"/>; <paramref name="validationFraction"/> is in (0, 1).</summary>
    public static (IReadOnlyList<ImageRecord> Train, IReadOnlyList<ImageRecord> Validation) Split(
        IReadOnlyList<ImageRecord> images, double validationFraction, int seed)
    {
        if (validationFraction is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(validationFraction), "must be in (0, 1)");
        var random = new Random(seed);
        var train = new List<ImageRecord>();
        var validation = new List<ImageRecord>();
        foreach (var group in images.GroupBy(r => r.Label).OrderBy(g => g.Key))
        {
            var members = group.OrderBy(r => r.Path, StringComparer.Ordinal).ToArray();
            random.Shuffle(members);
            int count = members.Length < 2 ? 0 : Math.Clamp((int)Math.Round(members.Length * validationFraction), 1, members.Length - 1);
            validation.AddRange(members[..count]);
            train.AddRange(members[count..]);
        }
        return (train, validation);
    }
}
