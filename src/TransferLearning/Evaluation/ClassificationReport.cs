using System.Globalization;
using System.Text;

namespace TransferLearning.Evaluation;

/// <summary>
/// Per-class precision, recall and F1 with macro and support-weighted averages, computed as
/// scikit-learn's <c>classification_report</c> does (zero_division=0), and printed in its layout.
/// </summary>
public sealed record ClassificationReport(
    IReadOnlyList<string> ClassNames, IReadOnlyList<ClassScores> PerClass, double Accuracy, ClassScores MacroAverage, ClassScores WeightedAverage)
{
    /// <summary>Builds the report from a confusion matrix (rows true, columns predicted).</summary>
    public static ClassificationReport From(ConfusionMatrix matrix, IReadOnlyList<string> classNames)
    {
        int k = matrix.Classes, total = matrix.Total;
        var perClass = new List<ClassScores>();
        for (int c = 0; c < k; c++)
        {
            int tp = matrix[c, c], predicted = matrix.PredictedCount(c), actual = matrix.TrueCount(c);
            double precision = predicted == 0 ? 0 : (double)tp / predicted;
            double recall = actual == 0 ? 0 : (double)tp / actual;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass.Add(new ClassScores(precision, recall, f1, actual));
        }
        var macro = new ClassScores(perClass.Average(s => s.Precision), perClass.Average(s => s.Recall), perClass.Average(s => s.F1), total);
        double Weighted(Func<ClassScores, double> f) => total == 0 ? 0 : perClass.Sum(s => f(s) * s.Support) / total;
        var weighted = new ClassScores(Weighted(s => s.Precision), Weighted(s => s.Recall), Weighted(s => s.F1), total);
        double accuracy = total == 0 ? 0 : (double)Enumerable.Range(0, k).Sum(c => matrix[c, c]) / total;
        return new ClassificationReport(classNames, perClass, accuracy, macro, weighted);
    }

    /// <summary>The text scikit-learn prints, with <paramref name="digits"/> decimals.</summary>
    public string ToText(int digits = 4)
    {
        const string longestHeading = "weighted avg";
        int width = Math.Max(Math.Max(ClassNames.Max(n => n.Length), longestHeading.Length), digits);
        string F(double x) => x.ToString("F" + digits, CultureInfo.InvariantCulture).PadLeft(9);
        string Row(string name, ClassScores s) => $"{name.PadLeft(width)}  {F(s.Precision)} {F(s.Recall)} {F(s.F1)} {s.Support,9}\n";
        var text = new StringBuilder();
        text.Append(new string(' ', width)).Append(' ').Append(string.Concat(new[] { "precision", "recall", "f1-score", "support" }.Select(h => " " + h.PadLeft(9)))).Append("\n\n");
        for (int c = 0; c < ClassNames.Count; c++) text.Append(Row(ClassNames[c], PerClass[c]));
        text.Append('\n');
        text.Append($"{"accuracy".PadLeft(width)}  {"",9} {"",9} {F(Accuracy)} {MacroAverage.Support,9}\n");
        text.Append(Row("macro avg", MacroAverage));
        text.Append(Row("weighted avg", WeightedAverage));
        return text.ToString();
    }
}
