using TransferLearning.Bench;
using TransferLearning.Runtime;

// Usage: TransferLearning.Bench [loader|linear-probe|inference|scaling|end-to-end|end-to-end-fp32|architectures] [--shared PATH] [--limit-per-class N]
//        [--architecture NAME --alpha A --weights PATH --tag T (end-to-end)] [--results DIR] [--batch N --size N --timed N --only A,B --bf16 (architectures)]
var name = args.FirstOrDefault(a => !a.StartsWith("--")) ?? "linear-probe";
string Option(string key, string fallback) => args.SkipWhile(a => a != key).Skip(1).FirstOrDefault() ?? fallback;
var repoRoot = FindRepoRoot();
var shared = Path.GetFullPath(Option("--shared", Path.Combine(repoRoot, "..", "shared")));
var results = Path.GetFullPath(Option("--results", Path.Combine(repoRoot, "bench", "results")));
var limit = int.Parse(Option("--limit-per-class", "0"));

TorchRuntime.EnsureLoaded();
var context = new BenchContext(args.SkipWhile(a => a != "--tag").Skip(1).FirstOrDefault() is { } tag ? $"{name}-{tag}" : name, shared, results);
if (name != "scaling-one") BenchContext.Log($"benchmark {name}; shared data at {shared}");
switch (name)
{
    case "linear-probe":
        LinearProbeBenchmark.Run(context, limit);
        break;
    case "loader":
        LoaderBenchmark.Run(context);
        break;
    case "inference":
        InferenceBenchmark.Run(context, repoRoot);
        break;
    case "scaling":
        ScalingBenchmark.Run(context);
        break;
    case "scaling-one": // a child process of "scaling"
        ScalingBenchmark.RunOne(shared, double.Parse(Option("--fraction", "1"), System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    case "end-to-end":
        EndToEndBenchmark.Run(context, args.SkipWhile(a => a != "--architecture").Skip(1).FirstOrDefault(), precision: null,
            double.Parse(Option("--alpha", "1"), System.Globalization.CultureInfo.InvariantCulture), args.SkipWhile(a => a != "--weights").Skip(1).FirstOrDefault());
        break;
    case "architectures":
        ArchitectureBenchmark.Run(context, int.Parse(Option("--batch", "32")), int.Parse(Option("--size", "224")), int.Parse(Option("--timed", "2")),
            args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault(), args.Contains("--bf16"));
        break;
    case "end-to-end-fp32":
        EndToEndBenchmark.Run(context, args.SkipWhile(a => a != "--architecture").Skip(1).FirstOrDefault(), TransferLearning.Spec.PrecisionMode.Float32);
        break;
    default:
        Console.Error.WriteLine($"unknown benchmark '{name}'; known: loader, linear-probe, inference, scaling, end-to-end, end-to-end-fp32, architectures");
        return 2;
}
return 0;

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "TransferLearning.slnx"))) return dir.FullName;
    return Directory.GetCurrentDirectory();
}
