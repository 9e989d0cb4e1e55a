using TransferLearning.Data;
using TransferLearning.Models;
using TransferLearning.Models.Architectures;
using TransferLearning.Models.Heads;
using TransferLearning.Runtime;
using TransferLearning.Spec;

namespace TransferLearning.Tests;

/// <summary>The bundled example (150 real flower photos) at a small size, decoded once for all tests; and small models on it.</summary>
internal static class ExampleData
{
    public const int Size = 64;

    public static string Folder { get; } = FindFolder();

    public static string SpecPath => Path.Combine(Folder, "spec.json");

    private static readonly Lazy<(IReadOnlyList<string> Classes, DecodedImages Train, DecodedImages Validation)> Decoded = new(() =>
    {
        var folder = ImageFolder.Scan(Path.Combine(Folder, "data"));
        var (train, validation) = StratifiedSplit.Split(folder.Images, 0.2, 42);
        return (folder.ClassNames, DecodedImages.Decode(train, Size, Size), DecodedImages.Decode(validation, Size, Size));
    });

    public static IReadOnlyList<string> Classes => Decoded.Value.Classes;
    public static DecodedImages Train => Decoded.Value.Train;
    public static DecodedImages Validation => Decoded.Value.Validation;

    public static TransferModel NewModel(HeadSpec? head = null)
    {
        TorchRuntime.EnsureLoaded();
        TorchSharp.torch.manual_seed(1);
        var backbone = ResNet18Onnx.Create();
        return new TransferModel(backbone, GlobalPooling.Avg, new ClassifierHead(backbone.FeatureChannels, 5, head ?? new HeadSpec()));
    }

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "examples", "flowers-mini");
            if (File.Exists(Path.Combine(candidate, "spec.json"))) return candidate;
        }
        throw new DirectoryNotFoundException("examples/flowers-mini not found above the test output.");
    }
}
