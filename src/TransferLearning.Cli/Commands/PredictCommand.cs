using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using TransferLearning.Export;

namespace TransferLearning.Cli.Commands;

/// <summary><c>tl predict MODEL_DIR IMAGE_OR_FOLDER</c>: top-k classes per image as a table, JSON or CSV.</summary>
internal sealed class PredictCommand : Command<PredictCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<MODEL_DIR>")]
        [Description("An exported model folder (model.json + weights.dat).")]
        public string Model { get; init; } = "";

        [CommandArgument(1, "<PATH>")]
        [Description("An image, or a folder searched recursively.")]
        public string Path { get; init; } = "";

        [CommandOption("-k|--top-k <K>")]
        [Description("Classes to show per image.")]
        [DefaultValue(3)]
        public int TopK { get; init; } = 3;

        [CommandOption("-f|--format <FORMAT>")]
        [Description("table, json (an array, one object per image) or csv.")]
        [DefaultValue("table")]
        public string Format { get; init; } = "table";

        public override ValidationResult Validate() =>
            Format is "table" or "json" or "csv" ? TopK >= 1 ? ValidationResult.Success() : ValidationResult.Error("--top-k must be at least 1")
                : ValidationResult.Error($"--format \"{Format}\" is not known; use table, json or csv");
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var predictor = Predictor.Load(settings.Model);
        var paths = Predictor.ImagesAt(settings.Path);
        var predictions = predictor.Predict(paths, settings.TopK);
        switch (settings.Format)
        {
            case "json":
                Console.WriteLine(JsonSerializer.Serialize(predictions.Select(p => new
                {
                    path = p.Path,
                    error = p.Error,
                    top = p.Top.Select(t => new { label = t.Label, probability = t.Probability }),
                }), new JsonSerializerOptions { WriteIndented = true, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull }));
                break;
            case "csv":
                Console.WriteLine("path,rank,label,probability,error");
                foreach (var p in predictions)
                {
                    if (p.Error is not null) Console.WriteLine($"{Csv(p.Path)},,,,{Csv(p.Error)}");
                    for (int i = 0; i < p.Top.Count; i++)
                        Console.WriteLine($"{Csv(p.Path)},{i + 1},{Csv(p.Top[i].Label)},{p.Top[i].Probability.ToString("F6", CultureInfo.InvariantCulture)},");
                }
                break;
            default:
                var table = new Table().AddColumns("image", "prediction", "probability", "next");
                foreach (var p in predictions)
                    table.AddRow(Markup.Escape(System.IO.Path.GetFileName(p.Path)),
                        p.Error is null ? Markup.Escape(p.Top[0].Label) : "[red]unreadable[/]",
                        p.Error is null ? p.Top[0].Probability.ToString("P1", CultureInfo.InvariantCulture) : Markup.Escape(p.Error),
                        Markup.Escape(string.Join(", ", p.Top.Skip(1).Select(t => $"{t.Label} {t.Probability:P1}"))));
                AnsiConsole.Write(table);
                break;
        }
        return predictions.Any(p => p.Error is not null) ? CliErrors.InvalidInput : 0;
    }

    private static string Csv(string value) => value.Contains(',') || value.Contains('"') ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
}
