using TransferLearning.Evaluation;
using TransferLearning.Training;

namespace TransferLearning.Reporting;

/// <summary>Everything the HTML report shows, gathered by the runner.</summary>
public sealed record RunReport
{
    /// <summary>Title line, e.g. the spec file name.</summary>
    public required string Title { get; init; }

    /// <summary>The spec as JSON.</summary>
    public required string SpecJson { get; init; }

    /// <summary>Class names in label order.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>Training images per class.</summary>
    public required IReadOnlyList<int> TrainCounts { get; init; }

    /// <summary>Validation images per class (empty without validation).</summary>
    public required IReadOnlyList<int> ValidationCounts { get; init; }

    /// <summary>Files that could not be decoded, with the reason.</summary>
    public required IReadOnlyList<string> SkippedFiles { get; init; }

    /// <summary>Every epoch's figures.</summary>
    public required TrainingHistory History { get; init; }

    /// <summary>Final validation figures, or null.</summary>
    public ClassificationMetrics? Validation { get; init; }

    /// <summary>PNG files to inline (curves, confusion matrix).</summary>
    public required IReadOnlyList<string> Images { get; init; }

    /// <summary>The validation images the model got most wrong.</summary>
    public required IReadOnlyList<Misclassified> Worst { get; init; }

    /// <summary>Facts about the machine and libraries.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }
}

/// <summary>A validation image with its true and predicted class.</summary>
/// <param name="Path">The image file.</param>
/// <param name="TrueClass">Its label.</param>
/// <param name="PredictedClass">The model's top class.</param>
/// <param name="Probability">The model's probability for the predicted class.</param>
/// <param name="TrueProbability">The model's probability for the true class.</param>
public sealed record Misclassified(string Path, string TrueClass, string PredictedClass, double Probability, double TrueProbability);
