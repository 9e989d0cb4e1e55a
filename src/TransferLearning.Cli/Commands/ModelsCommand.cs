using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using TransferLearning.Models.Registry;

namespace TransferLearning.Cli.Commands;

/// <summary><c>tl models</c>: every architecture with its input size, size and where its ImageNet weights would come from.</summary>
internal sealed class ModelsCommand : Command
{
    public override int Execute(CommandContext context, CancellationToken cancellationToken)
    {
        Runtime.TorchRuntime.EnsureLoaded();
        var table = new Table().AddColumns("name", "input", "preprocessing", "parameters (no top)", "ImageNet weights", "licence");
        var sources = new List<string>();
        foreach (var entry in ModelRegistry.All)
        {
            var p = entry.Pretrained;
            var (kind, where) = entry.WeightsLocation();
            table.AddRow(entry.Name, $"{p.InputHeight}x{p.InputWidth}", p.Preprocessing,
                entry.CountBackboneParameters().ToString("N0", CultureInfo.InvariantCulture), kind, Markup.Escape(p.Licence));
            sources.Add($"{entry.Name}: {where}");
        }
        AnsiConsole.Write(table);
        foreach (var source in sources) Console.WriteLine(source);
        Console.WriteLine("downloadable weights are fetched on first use into $TL_WEIGHTS_DIR (else ~/.cache/transfer-learning/weights); ~/.keras/models is searched too.");
        return 0;
    }
}
