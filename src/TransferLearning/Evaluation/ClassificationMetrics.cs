namespace TransferLearning.Evaluation;

/// <summary>
/// Every figure the tool reports for a set of predictions, computed once from true labels and
/// predicted probabilities (prediction = arg-max). Pure: arrays in, a record out.
/// </summary>
public sealed record ClassificationMetrics(
    double Loss,
    ConfusionMatrix ConfusionMatrix,
    ClassificationReport Report,
    double RocAucMacro,
    double LogLoss,
    double TopKAccuracy,
    int TopK)
{
    /// <summary>Computes the metrics; <paramref name="loss"/> is the training objective's mean value on the same samples.</summary>
    public static ClassificationMetrics Compute(IReadOnlyList<int> trueLabels, double[][] probabilities, IReadOnlyList<string> classNames, double loss, int topK = 3)
    {
        var predicted = probabilities.Select(ArgMax).ToArray();
        var matrix = new ConfusionMatrix(trueLabels, predicted, classNames.Count);
        int k = Math.Min(topK, classNames.Count);
        return new ClassificationMetrics(
            loss, matrix, ClassificationReport.From(matrix, classNames),
            ProbabilityMetrics.RocAucOvr(trueLabels, probabilities),
            ProbabilityMetrics.LogLoss(trueLabels, probabilities),
            ProbabilityMetrics.TopKAccuracy(trueLabels, probabilities, k), k);
    }

    /// <summary>Metrics of a model's predictions, with the log loss of its probabilities as the loss (no smoothing or class weights).</summary>
    public static ClassificationMetrics FromProbabilities(IReadOnlyList<int> trueLabels, double[][] probabilities, IReadOnlyList<string> classNames) =>
        Compute(trueLabels, probabilities, classNames, ProbabilityMetrics.LogLoss(trueLabels, probabilities));

    /// <summary>The figure a spec or a monitor names: loss, accuracy, precision, recall, f1 (macro), auc, top_k_accuracy, log_loss.</summary>
    public double this[string name] => name switch
    {
        "loss" => Loss,
        "accuracy" => Report.Accuracy,
        "precision" => Report.MacroAverage.Precision,
        "recall" => Report.MacroAverage.Recall,
        "f1" => Report.MacroAverage.F1,
        "auc" => RocAucMacro,
        "top_k_accuracy" => TopKAccuracy,
        "log_loss" => LogLoss,
        _ => throw new KeyNotFoundException($"metric '{name}' is not computed"),
    };

    private static int ArgMax(double[] row)
    {
        int best = 0;
        for (int c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
        return best;
    }
}
