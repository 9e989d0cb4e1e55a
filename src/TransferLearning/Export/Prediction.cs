namespace TransferLearning.Export;

/// <summary>One class and its probability.</summary>
public sealed record ClassProbability(string Label, double Probability);

/// <summary>The prediction for one image: its top classes, or why it could not be read.</summary>
/// <param name="Path">The image file.</param>
/// <param name="Top">Classes by decreasing probability (empty when <paramref name="Error"/> is set).</param>
/// <param name="Error">Why the file could not be used, or null.</param>
public sealed record Prediction(string Path, IReadOnlyList<ClassProbability> Top, string? Error);
