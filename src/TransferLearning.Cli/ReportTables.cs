using Spectre.Console;
using TransferLearning.Evaluation;

namespace TransferLearning.Cli;

/// <summary>Console renderings shared by train and evaluate.</summary>
internal static class ReportTables
{
    /// <summary>Prints the classification report (scikit-learn's layout) and the confusion matrix as a table.</summary>
    public static void Print(ClassificationMetrics metrics, IReadOnlyList<string> classes, string title)
    {
        AnsiConsole.MarkupLineInterpolated($"[bold]{title}[/]");
        Console.Write(metrics.Report.ToText());
        var table = new Table().Title("confusion matrix (rows: true, columns: predicted)").AddColumn("");
        foreach (var name in classes) table.AddColumn(Markup.Escape(name));
        var rows = metrics.ConfusionMatrix.ToRows();
        for (int r = 0; r < rows.Length; r++)
            table.AddRow([Markup.Escape(classes[r]), .. rows[r].Select((v, c) => c == r ? $"[green]{v}[/]" : v == 0 ? "[grey]0[/]" : $"[red]{v}[/]")]);
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine($"ROC AUC (one-vs-rest, macro) {metrics.RocAucMacro:F4}, log loss {metrics.LogLoss:F4}, top-{metrics.TopK} accuracy {metrics.TopKAccuracy:F4}");
    }
}
