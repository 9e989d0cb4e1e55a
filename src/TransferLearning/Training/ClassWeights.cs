using TransferLearning.Spec;

namespace TransferLearning.Training;

/// <summary>Per-class loss weights from the spec's <c>class_weight</c>.</summary>
public static class ClassWeights
{
    /// <summary>
    /// "balanced": <c>n_samples / (n_classes * count)</c>, as scikit-learn's <c>compute_class_weight</c>;
    /// a map: the given weight per class name, 1 for classes it omits; null: no weights.
    /// </summary>
    /// <exception cref="ArgumentException">The map names a class that does not exist.</exception>
    public static double[]? Compute(ClassWeightSpec? spec, IReadOnlyList<string> classNames, IReadOnlyList<int> counts)
    {
        if (spec is null) return null;
        if (spec.Balanced)
        {
            double total = counts.Sum();
            return counts.Select(c => c == 0 ? 0 : total / (counts.Count * (double)c)).ToArray();
        }
        var unknown = spec.PerClass!.Keys.Where(k => !classNames.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"training.class_weight: class(es) {string.Join(", ", unknown)} not found; classes: {string.Join(", ", classNames)}.");
        return classNames.Select(n => spec.PerClass.GetValueOrDefault(n, 1.0)).ToArray();
    }
}
