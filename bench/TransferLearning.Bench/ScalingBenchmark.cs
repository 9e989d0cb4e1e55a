using System.Diagnostics;
using System.Text.Json;
using TransferLearning.Spec;

namespace TransferLearning.Bench;

/// <summary>
/// Cost against data size: the seed workflow, shortened (2 + 1 epochs), on 25%, 50% and 100% of the flower photos,
/// each in its own process so peak RSS is that run's alone.
/// </summary>
internal static class ScalingBenchmark
{
    public static void Run(BenchContext context)
    {
        var self = typeof(ScalingBenchmark).Assembly.Location;
        foreach (var fraction in new[] { 0.25, 0.5, 1.0 })
        {
            BenchContext.Log($"{fraction:P0} of the data");
            var start = new ProcessStartInfo("dotnet", [self, "scaling-one", "--fraction", fraction.ToString(System.Globalization.CultureInfo.InvariantCulture), "--shared", context.SharedRoot])
                { RedirectStandardOutput = true };
            using var child = Process.Start(start)!;
            var lines = child.StandardOutput.ReadToEnd().Split('\n');
            child.WaitForExit();
            var result = JsonDocument.Parse(lines.Last(l => l.StartsWith("{"))).RootElement;
            context.Report($"{fraction:P0}: images", result.GetProperty("images").GetInt32(), "");
            context.Report($"{fraction:P0}: wall time", result.GetProperty("seconds").GetDouble(), "s");
            context.Report($"{fraction:P0}: seconds per 1,000 images", result.GetProperty("seconds").GetDouble() * 1000 / result.GetProperty("images").GetInt32(), "s");
            context.Report($"{fraction:P0}: peak RSS", result.GetProperty("peak_rss_mb").GetDouble(), "MB");
            context.Report($"{fraction:P0}: validation accuracy", result.GetProperty("accuracy").GetDouble() * 100, "%");
        }
        context.Save("Seed workflow shortened to 2 feature-extraction + 1 fine-tuning epochs (augmentation on, 20 layers unfrozen, 224x224), " +
                     "on the first 25%, 50% and 100% (by file name) of each flower class; one process per size.");
    }

    /// <summary>One size, in this process: prints a JSON line with the figures.</summary>
    public static void RunOne(string shared, double fraction)
    {
        var subset = Path.Combine(Path.GetTempPath(), $"tl-bench-scaling-{fraction:F2}-{Environment.ProcessId}");
        int images = 0;
        foreach (var classFolder in Directory.GetDirectories(Path.Combine(shared, "data", "flowers")))
        {
            var files = Directory.GetFiles(classFolder, "*.jpg").Order(StringComparer.Ordinal).ToList();
            var target = Directory.CreateDirectory(Path.Combine(subset, "data", Path.GetFileName(classFolder))).FullName;
            foreach (var file in files.Take((int)Math.Round(files.Count * fraction)))
            {
                File.CreateSymbolicLink(Path.Combine(target, Path.GetFileName(file)), file);
                images++;
            }
        }
        var spec = SpecLoader.Parse("""
            {"dataset": {"path": "data", "validation_split": 0.2, "seed": 42},
             "model": {"base_architecture": "ResNet18", "trainable_strategy": "freeze_then_finetune", "fine_tune_unfreeze_layers": 20},
             "training": {"feature_extraction_epochs": 2, "fine_tune_epochs": 1, "learning_rates": {"feature_extraction": 0.001, "fine_tune": 0.0001}},
             "augmentation": {"horizontal_flip": true, "rotation_range": 15, "zoom_range": 0.1, "width_shift_range": 0.1, "height_shift_range": 0.1}}
            """, subset);
        RunResult result = null!;
        var seconds = BenchContext.Time(() => result = Experiment.Run(spec, new RunOptions { OutputDirectory = "run" }));
        Console.WriteLine(JsonSerializer.Serialize(new { images, seconds, peak_rss_mb = BenchContext.PeakRssMb(), accuracy = result.Validation!.Report.Accuracy }));
    }
}
