using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TransferLearning.Export;

namespace TransferLearning.Cli.Commands;

/// <summary><c>tl evaluate MODEL_DIR DATA_FOLDER</c>: classification report and confusion matrix on labelled images.</summary>
internal sealed class EvaluateCommand : Command<EvaluateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<MODEL_DIR>")]
        [Description("An exported model folder.")]
        public string Model { get; init; } = "";

        [CommandArgument(1, "<DATA_FOLDER>")]
        [Description("One sub-folder per class, named as the model's classes.")]
        public string Data { get; init; } = "";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var predictor = Predictor.Load(settings.Model);
        var (metrics, skipped) = predictor.Evaluate(settings.Data);
        foreach (var s in skipped) AnsiConsole.MarkupLineInterpolated($"[yellow]skipped:[/] {s.Message}");
        Console.Write(metrics.Report.ToText());
        var classes = predictor.Info.ClassNames;
        var table = new Table().Title("confusion matrix (rows: true, columns: predicted)").AddColumn("");
        foreach (var name in classes) table.AddColumn(Markup.Escape(name));
        var rows = metrics.ConfusionMatrix.ToRows();
        for (int r = 0; r < rows.Length; r++)
            table.AddRow([Markup.Escape(classes[r]), .. rows[r].Select((v, c) => c == r ? $"[green]{v}[/]" : v == 0 ? "[grey]0[/]" : $"[red]{v}[/]")]);
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine($"ROC AUC (one-vs-rest, macro) {metrics.RocAucMacro:F4}, log loss {metrics.LogLoss:F4}, top-{metrics.TopK} accuracy {metrics.TopKAccuracy:F4}");
        return 0;
    }
}
