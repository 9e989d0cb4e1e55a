using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TransferLearning.Reporting;
using TransferLearning.Spec;

namespace TransferLearning.Cli.Commands;

/// <summary><c>tl augment-preview SPEC.json</c>: a PNG grid of originals and augmented draws.</summary>
internal sealed class AugmentPreviewCommand : Command<AugmentPreviewCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<SPEC>")]
        [Description("The JSON spec whose augmentation section to preview.")]
        public string Spec { get; init; } = "";

        [CommandOption("-o|--output <PNG>")]
        [Description("Where to write the grid.")]
        [DefaultValue("augmentation-preview.png")]
        public string Output { get; init; } = "augmentation-preview.png";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        AugmentationPreview.Write(SpecLoader.Load(settings.Spec), settings.Output);
        AnsiConsole.WriteLine($"wrote {Path.GetFullPath(settings.Output)} (first column: originals; others: augmented draws)");
        return 0;
    }
}
