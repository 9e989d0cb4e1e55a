using Spectre.Console;

namespace TransferLearning.Cli;

/// <summary>The one place that turns an exception into a one-line error and an exit code.</summary>
internal static class CliErrors
{
    /// <summary>Exit code for bad input (spec, data, arguments).</summary>
    public const int InvalidInput = 2;

    /// <summary>Exit code for an environment problem (native libraries, disk).</summary>
    public const int Environment = 3;

    public static int Report(Exception exception)
    {
        var code = exception switch
        {
            TransferLearning.Runtime.TorchLoadException or IOException or UnauthorizedAccessException => Environment,
            _ => InvalidInput,
        };
        AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {exception.Message}");
        return code;
    }
}
