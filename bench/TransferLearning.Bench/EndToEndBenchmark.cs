using System.Text.RegularExpressions;
using TransferLearning.Spec;

namespace TransferLearning.Bench;

/// <summary>
/// The user's seed spec, as written except dataset.path (the 3,670 flower photos) and the architecture (EfficientNetB0's
/// ImageNet weights cannot be downloaded here: ResNet18 by default, or --architecture with --alpha and --weights, e.g.
/// the real Keras MobileNet files in ../shared/weights): wall time and images/s per phase, peak RSS, validation accuracy
/// after phase 1 and at the end, macro F1. --tag names the results file.
/// </summary>
internal static class EndToEndBenchmark
{
    public static void Run(BenchContext context, string? architecture, PrecisionMode? precision, double alpha = 1.0, string? weights = null)
    {
        var text = File.ReadAllText(Path.Combine(context.SharedRoot, "spec", "transfer-learning-seed.txt"));
        var json = text[text.IndexOf('{')..(text.LastIndexOf('}') + 1)]
            .Replace("\"data/flowers/\"", $"\"{context.Flowers}\"")
            .Replace("\"EfficientNetB0\"", $"\"{architecture ?? "ResNet18"}\"");
        var output = Path.Combine(Path.GetTempPath(), $"tl-bench-e2e-{DateTime.Now:yyyyMMdd-HHmmss}");
        var spec = SpecLoader.Parse(json, output) with { };
        spec = spec with
        {
            Outputs = spec.Outputs with { ExportSavedModel = Path.Combine(output, "model") },
            Training = spec.Training with { MixedPrecision = precision ?? spec.Training.MixedPrecision },
            Model = spec.Model with { Alpha = alpha, Weights = weights ?? spec.Model.Weights },
        };
        var logLines = new List<string>();
        var seconds = BenchContext.Time(() =>
        {
            var result = Experiment.Run(spec, new RunOptions
            {
                OutputDirectory = Path.Combine(output, "run"),
                Log = line => { logLines.Add(line); BenchContext.Log(line); },
                Callbacks = [new EpochPrinter()],
            });
            var epochs = result.History.Epochs;
            foreach (var phase in epochs.GroupBy(e => e.Phase))
            {
                context.Report($"{phase.Key}: epochs run", phase.Count(), "epochs");
                context.Report($"{phase.Key}: wall time", phase.Sum(e => e.Seconds), "s");
                context.Report($"{phase.Key}: training images/s", phase.Average(e => e.ImagesPerSecond), "images/s");
                context.Report($"{phase.Key}: best val_accuracy", phase.Max(e => e.Values["val_accuracy"]) * 100, "%");
            }
            context.Report("final validation accuracy (kept model)", result.Validation!.Report.Accuracy * 100, "%");
            context.Report("final validation macro F1", result.Validation.Report.MacroAverage.F1, "");
        });
        context.Report("total wall time", seconds, "s");
        context.Report("peak RSS", BenchContext.PeakRssMb(), "MB");
        context.Save($"Seed spec (`../shared/spec/transfer-learning-seed.txt`) with dataset.path = the 3,670 flower photos and " +
                     $"base_architecture = {architecture ?? "ResNet18"}{(alpha != 1.0 ? $", alpha = {alpha}" : "")}{(weights is null ? "" : $", weights = {Path.GetFileName(weights)}")}; everything else as written (224x224, split 0.2 seed 42, " +
                     "freeze_then_finetune 5 + 10 epochs, unfreeze 20 layers, Adam 1e-3 / 1e-4, augmentation on, early stopping val_loss patience 3, " +
                     $"checkpoint val_accuracy). training.mixed_precision: {(precision is null ? "not set (auto: bfloat16 for frozen layers on this CPU)" : $"{precision} (added to the seed)")}.\n\nLog:\n\n```\n" + string.Join("\n", logLines.Where(l => !Regex.IsMatch(l, "^(decoding|run folder)"))) + "\n```");
    }

    private sealed class EpochPrinter : Training.Callbacks.ITrainingCallback
    {
        public void OnEpochEnd(Training.EpochLog log, Training.Callbacks.TrainingContext context) =>
            BenchContext.Log($"epoch {log.Epoch} {log.Phase}: " + string.Join(" ", log.Values.Select(kv => $"{kv.Key}={kv.Value:F4}")) + $" ({log.Seconds:F0}s, {log.ImagesPerSecond:F1} img/s)");
    }
}
