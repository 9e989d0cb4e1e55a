namespace TransferLearning.Spec;

/// <summary>The spec's <c>outputs</c> section: what the run writes besides metrics.json.</summary>
public sealed record OutputsSpec
{
    /// <summary>Write the confusion matrix. Defaults to true.</summary>
    public bool ConfusionMatrix { get; init; } = true;

    /// <summary>Write the classification report. Defaults to true.</summary>
    public bool ClassificationReport { get; init; } = true;

    /// <summary>Curves to plot, e.g. <c>accuracy_curve</c>, <c>loss_curve</c>. Defaults to those two.</summary>
    public string[] Plots { get; init; } = ["accuracy_curve", "loss_curve"];

    /// <summary>Folder for the exported model, resolved against the spec's folder. Absent: inside the run folder.</summary>
    public string? ExportSavedModel { get; init; }
}
