using Spectre.Console;
using Spectre.Console.Cli;
using TorchSharp;
using TransferLearning.Runtime;

namespace TransferLearning.Cli.Commands;

/// <summary><c>tl doctor</c>: loads libtorch and reports what it found.</summary>
internal sealed class DoctorCommand : Command
{
    public override int Execute(CommandContext context, CancellationToken cancellationToken)
    {
        AnsiConsole.WriteLine($"libLibTorchSharp.so: {TorchRuntime.FindOriginal() ?? "not found"}");
        AnsiConsole.WriteLine($"libstdc++:           {TorchRuntime.FindLoadedLibrary("libstdc++.so.6") ?? "not loaded"}");
        TorchRuntime.EnsureLoaded();
        AnsiConsole.WriteLine($"libtorch:            loaded ({(TorchRuntime.UsedPatchedCopy ? "patched copy in " + TorchRuntime.CacheDirectory() : "as shipped")}), " +
                              $"{torch.get_num_threads()} threads, CUDA {(torch.cuda.is_available() ? "available" : "not available")}");
        return 0;
    }
}
