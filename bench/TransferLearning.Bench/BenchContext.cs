using System.Diagnostics;
using System.Text.Json;

namespace TransferLearning.Bench;

/// <summary>Where a benchmark finds its inputs and how it reports: figures printed and written to bench/results.</summary>
internal sealed class BenchContext(string name, string sharedRoot, string resultsDir)
{
    private readonly List<(string Key, object Value, string Unit)> _figures = [];

    public string SharedRoot { get; } = sharedRoot;

    public string Flowers => Path.Combine(SharedRoot, "data", "flowers");

    /// <summary>Records and prints one figure.</summary>
    public void Report(string key, object value, string unit = "")
    {
        _figures.Add((key, value, unit));
        Console.WriteLine($"  {key,-44} {Format(value),12} {unit}");
    }

    public static void Log(string message) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    /// <summary>Peak resident set size of this process so far, in MB (VmHWM).</summary>
    public static double PeakRssMb() =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmHWM:")).Select(l => double.Parse(l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1]) / 1024).FirstOrDefault();

    /// <summary>The CPU's model name (figures from different CPUs are not comparable), or "unknown CPU".</summary>
    public static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").Where(l => l.StartsWith("model name")).Select(l => l[(l.IndexOf(':') + 1)..].Trim()).FirstOrDefault() ?? "unknown CPU"
            : "unknown CPU";

    public static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>Writes <c>results/DATE-NAME.md</c> and <c>.json</c> (temp file, then rename).</summary>
    public void Save(string notes)
    {
        Directory.CreateDirectory(resultsDir);
        var stamp = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var environment = $"{CpuModel()}, {Environment.ProcessorCount} cores, bfloat16 {(TransferLearning.Training.FrozenPrecision.CpuHasNativeBFloat16 ? "native" : "emulated")}, {Environment.OSVersion}, .NET {Environment.Version}, TorchSharp threads {TorchSharp.torch.get_num_threads()}";
        var md = $"# {name} ({stamp})\n\n{notes}\n\nMachine: {environment}\n\n| figure | value | unit |\n|---|---:|---|\n" +
                 string.Concat(_figures.Select(f => $"| {f.Key} | {Format(f.Value)} | {f.Unit} |\n"));
        var json = JsonSerializer.Serialize(new
        {
            benchmark = name,
            date = stamp,
            environment,
            figures = _figures.ToDictionary(f => f.Key, f => new { value = f.Value, unit = f.Unit }),
        }, new JsonSerializerOptions { WriteIndented = true });
        WriteAtomically(Path.Combine(resultsDir, $"{stamp}-{name}.md"), md);
        WriteAtomically(Path.Combine(resultsDir, $"{stamp}-{name}.json"), json);
        Log($"results written to {Path.Combine(resultsDir, $"{stamp}-{name}.md")}");
    }

    private static void WriteAtomically(string path, string text)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }

    private static string Format(object value) => value switch
    {
        double d => d.ToString(Math.Abs(d) >= 100 ? "F1" : "F3"),
        float f => ((double)f).ToString("F3"),
        _ => value.ToString() ?? "",
    };
}
