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
        ReportTables.Print(metrics, predictor.Info.ClassNames, $"{settings.Data} ({metrics.ConfusionMatrix.Total} images)");
        return 0;
    }
}
