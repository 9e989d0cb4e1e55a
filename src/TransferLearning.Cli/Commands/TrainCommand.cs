using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TransferLearning.Spec;

namespace TransferLearning.Cli.Commands;

/// <summary><c>tl train SPEC.json</c>: runs the spec's whole workflow and writes a run folder.</summary>
internal sealed class TrainCommand : Command<TrainCommand.Settings>
{
    /// <summary>Exit code when Ctrl-C stopped training (the best model and reports are still written).</summary>
    public const int Interrupted = 130;

    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<SPEC>")]
        [Description("The JSON spec (the seed's format).")]
        public string Spec { get; init; } = "";

        [CommandOption("-o|--output <DIR>")]
        [Description("Run folder (default: a new timestamped folder under runs/ beside the spec). Never overwritten.")]
        public string? Output { get; init; }

        [CommandOption("--resume")]
        [Description("Continue the run in --output (or the newest under runs/) from its last completed epoch.")]
        public bool Resume { get; init; }

        [CommandOption("-q|--quiet")]
        [Description("Only errors and the final summary.")]
        public bool Quiet { get; init; }

        [CommandOption("-v|--verbose")]
        [Description("Also print a progress line per batch.")]
        public bool Verbose { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var spec = SpecLoader.Load(settings.Spec);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true; // finish the batch, keep the best model, write the report
            stop.Cancel();
            Console.Error.WriteLine("stopping after this batch (Ctrl-C again to kill)...");
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var progress = new ConsoleProgress(settings.Quiet, settings.Verbose);
            var result = Experiment.Run(spec, new RunOptions
            {
                OutputDirectory = settings.Output,
                Resume = settings.Resume,
                Log = progress.Log,
                Callbacks = [progress],
                Cancellation = stop.Token,
            });
            if (result.Validation is { } v && !settings.Quiet)
                ReportTables.Print(v, v.Report.ClassNames, "validation, kept model");
            if (result.Validation is { } summary)
                AnsiConsole.MarkupLineInterpolated($"validation accuracy [bold]{summary.Report.Accuracy:P2}[/], macro F1 {summary.Report.MacroAverage.F1:F4}, loss {summary.Loss:F4}");
            AnsiConsole.WriteLine($"run folder: {result.RunDirectory}");
            AnsiConsole.WriteLine($"model:      {result.ModelDirectory}");
            return result.Cancelled ? Interrupted : 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.Error.WriteLine("stopped before training began (a partial weights download is kept as .part and resumed next time)");
            return Interrupted;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
