using Spectre.Console;
using Spectre.Console.Cli;
using TransferLearning.Models.Registry;

namespace TransferLearning.Cli.Commands;

/// <summary><c>tl models</c>: the registry as a table.</summary>
internal sealed class ModelsCommand : Command
{
    public override int Execute(CommandContext context, CancellationToken cancellationToken)
    {
        var table = new Table().AddColumns("name", "input", "preprocessing", "ImageNet weights", "licence");
        foreach (var entry in ModelRegistry.All.OrderBy(e => e.Name))
        {
            var p = entry.Pretrained;
            table.AddRow(entry.Name, $"{p.InputHeight}x{p.InputWidth}", p.Preprocessing, p.WeightsSource, p.Licence);
        }
        AnsiConsole.Write(table);
        return 0;
    }
}
