using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TransferLearning.Data;
using TransferLearning.Models.Registry;
using TransferLearning.Spec;

namespace TransferLearning.Cli.Commands;

/// <summary><c>tl validate SPEC.json</c>: checks the spec and the data without training.</summary>
internal sealed class ValidateCommand : Command<ValidateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<SPEC>")]
        [Description("The JSON spec to check.")]
        public string Spec { get; init; } = "";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ExperimentSpec spec;
        try
        {
            spec = SpecLoader.Load(settings.Spec);
        }
        catch (SpecException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{settings.Spec}: {e.Errors.Count} error(s)[/]");
            foreach (var error in e.Errors) AnsiConsole.MarkupLineInterpolated($"  [red]x[/] {error.ToString()}");
            return CliErrors.InvalidInput;
        }
        if (ModelRegistry.Find(spec.Model.BaseArchitecture) is null)
            AnsiConsole.MarkupLineInterpolated($"[yellow]note:[/] model.base_architecture \"{spec.Model.BaseArchitecture}\" is valid but not buildable in this version; tl train needs one of: {string.Join(", ", ModelRegistry.All.Select(m => m.Name))}.");

        var (classNames, train, validation, test, ignored) = DataPreparation.Scan(spec, spec.Dataset.Seed ?? 0);
        var all = train.Concat(validation ?? []).Concat(test ?? []).ToList();
        // Decoding at a small size finds corrupt, truncated and non-image files quickly.
        var decoded = DecodedImages.Decode(all, 16, 16);
        var table = new Table().AddColumns("class", "train", "validation", "test");
        for (int c = 0; c < classNames.Count; c++)
            table.AddRow(classNames[c], train.Count(r => r.Label == c).ToString(), (validation?.Count(r => r.Label == c) ?? 0).ToString(), (test?.Count(r => r.Label == c) ?? 0).ToString());
        AnsiConsole.Write(table);
        foreach (var skipped in decoded.Skipped) AnsiConsole.MarkupLineInterpolated($"[yellow]skipped:[/] {skipped.Message}");
        foreach (var file in ignored) AnsiConsole.MarkupLineInterpolated($"[yellow]ignored:[/] {file} (not an image extension)");
        AnsiConsole.MarkupLineInterpolated($"[green]valid[/]: {all.Count - decoded.Skipped.Count} images in {classNames.Count} classes, {decoded.Skipped.Count} skipped, {ignored.Count} ignored");
        return 0;
    }
}
