using System.Globalization;
using TransferLearning.Training;
using TransferLearning.Training.Callbacks;

namespace TransferLearning.Cli;

/// <summary>
/// Training progress for a terminal: one summary line per epoch; with --verbose, a batch line that
/// rewrites itself on a terminal and becomes plain lines (every 10th batch) when output is redirected (CI logs).
/// </summary>
internal sealed class ConsoleProgress(bool quiet, bool verbose) : ITrainingCallback
{
    private readonly bool _interactive = !Console.IsOutputRedirected;

    public void Log(string message)
    {
        if (!quiet || message.StartsWith("warning", StringComparison.Ordinal)) Console.WriteLine(message);
    }

    public void OnBatchEnd(BatchLog log)
    {
        if (quiet || !verbose) return;
        var eta = (log.Batches - log.Batch) * (log.Images / (double)log.Batch) / Math.Max(log.ImagesPerSecond, 1e-9);
        var line = $"  {log.Phase} epoch {log.Epoch} batch {log.Batch}/{log.Batches}  loss {log.Loss:F4}  acc {log.Accuracy:F4}  {log.ImagesPerSecond:F1} img/s  ETA {eta:F0}s";
        if (_interactive) Console.Write("\r" + line.PadRight(Console.WindowWidth > 0 ? Console.WindowWidth - 1 : 100));
        else if (log.Batch % 10 == 0 || log.Batch == log.Batches) Console.WriteLine(line);
        if (_interactive && log.Batch == log.Batches) Console.WriteLine();
    }

    public void OnEpochEnd(EpochLog log, TrainingContext context)
    {
        if (quiet) return;
        var figures = string.Join("  ", log.Values.Select(kv => $"{kv.Key} {kv.Value.ToString("F4", CultureInfo.InvariantCulture)}"));
        Console.WriteLine($"epoch {log.Epoch} ({log.Phase} {log.PhaseEpoch}): {figures}  [{log.Seconds:F1}s, {log.ImagesPerSecond:F1} img/s]");
    }
}
