using System.Text.Json;
using TransferLearning.Evaluation;

namespace TransferLearning.Tests.Evaluation;

/// <summary>Every figure equals what scikit-learn computed for the same 300 predictions (../shared/fixtures/metrics).</summary>
public sealed class SklearnParityTests
{
    private static readonly JsonElement Predictions = Load("predictions.json");
    private static readonly JsonElement Expected = Load("expected.json");
    private static readonly int[] TrueLabels = Predictions.GetProperty("y_true").EnumerateArray().Select(e => e.GetInt32()).ToArray();
    private static readonly double[][] Probabilities = Predictions.GetProperty("probabilities").EnumerateArray()
        .Select(r => r.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();
    private static readonly string[] Classes = Predictions.GetProperty("classes").EnumerateArray().Select(e => e.GetString()!).ToArray();
    private static readonly ClassificationMetrics Metrics = ClassificationMetrics.Compute(TrueLabels, Probabilities, Classes, loss: 0);

    private static JsonElement Load(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedData.Root, "fixtures", "metrics", name))).RootElement;

    private static void Near(double expected, double actual) => Assert.InRange(actual, expected - 1e-6, expected + 1e-6);

    [Fact]
    public void Confusion_matrix_matches()
    {
        var expected = Expected.GetProperty("confusion_matrix").EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetInt32()).ToArray()).ToArray();
        Assert.Equal(expected, Metrics.ConfusionMatrix.ToRows());
    }

    [Fact]
    public void Classification_report_figures_match()
    {
        var report = Expected.GetProperty("classification_report");
        for (int c = 0; c < Classes.Length; c++)
        {
            var row = report.GetProperty(Classes[c]);
            Near(row.GetProperty("precision").GetDouble(), Metrics.Report.PerClass[c].Precision);
            Near(row.GetProperty("recall").GetDouble(), Metrics.Report.PerClass[c].Recall);
            Near(row.GetProperty("f1-score").GetDouble(), Metrics.Report.PerClass[c].F1);
            Assert.Equal(row.GetProperty("support").GetInt32(), Metrics.Report.PerClass[c].Support);
        }
        foreach (var (name, scores) in new[] { ("macro avg", Metrics.Report.MacroAverage), ("weighted avg", Metrics.Report.WeightedAverage) })
        {
            var row = report.GetProperty(name);
            Near(row.GetProperty("precision").GetDouble(), scores.Precision);
            Near(row.GetProperty("recall").GetDouble(), scores.Recall);
            Near(row.GetProperty("f1-score").GetDouble(), scores.F1);
        }
        Near(Expected.GetProperty("accuracy").GetDouble(), Metrics["accuracy"]);
    }

    [Fact]
    public void Classification_report_text_is_sklearns_layout()
    {
        Assert.Equal(Expected.GetProperty("classification_report_text").GetString(), Metrics.Report.ToText(4));
    }

    [Fact]
    public void Probability_metrics_match()
    {
        Near(Expected.GetProperty("roc_auc_ovr_macro").GetDouble(), Metrics.RocAucMacro);
        Near(Expected.GetProperty("roc_auc_ovr_weighted").GetDouble(), ProbabilityMetrics.RocAucOvr(TrueLabels, Probabilities, weighted: true));
        Near(Expected.GetProperty("log_loss").GetDouble(), Metrics.LogLoss);
        Near(Expected.GetProperty("top_2_accuracy").GetDouble(), ProbabilityMetrics.TopKAccuracy(TrueLabels, Probabilities, 2));
        Near(Expected.GetProperty("top_3_accuracy").GetDouble(), Metrics.TopKAccuracy);
    }
}
