using System.Text.Json;
using System.Text.Json.Serialization;
using TransferLearning.Models;
using TransferLearning.Models.Heads;
using TransferLearning.Models.Registry;
using TransferLearning.Reporting;

namespace TransferLearning.Export;

/// <summary>
/// A self-contained model folder: <c>weights.dat</c> (TorchSharp state dict of backbone and head),
/// <c>model.json</c> (<see cref="SavedModelInfo"/>) and <c>model.onnx</c> (the whole model, preprocessing included,
/// for ONNX Runtime or ML.NET). <see cref="Load"/> needs nothing else.
/// </summary>
public static class SavedModel
{
    /// <summary>The weights file name.</summary>
    public const string WeightsFile = "weights.dat";

    /// <summary>The description file name.</summary>
    public const string InfoFile = "model.json";

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Writes <paramref name="model"/> and <paramref name="info"/> into <paramref name="folder"/> (each file atomically).</summary>
    public static void Save(TransferModel model, SavedModelInfo info, string folder)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.Write(Path.Combine(folder, WeightsFile), temp => model.save(temp));
        AtomicFile.WriteText(Path.Combine(folder, InfoFile), JsonSerializer.Serialize(info, Json));
        OnnxExport.Write(model, info, Path.Combine(folder, OnnxExport.FileName));
    }

    /// <summary>Rebuilds the model saved in <paramref name="folder"/>, in eval mode.</summary>
    /// <exception cref="FileNotFoundException">The folder or one of its two files is missing.</exception>
    public static (TransferModel Model, SavedModelInfo Info) Load(string folder)
    {
        var infoPath = Path.Combine(folder, InfoFile);
        var weightsPath = Path.Combine(folder, WeightsFile);
        if (!File.Exists(infoPath) || !File.Exists(weightsPath))
            throw new FileNotFoundException($"{folder} is not an exported model: it needs {InfoFile} and {WeightsFile} (made by tl train).", folder);
        var info = JsonSerializer.Deserialize<SavedModelInfo>(File.ReadAllText(infoPath), Json)
            ?? throw new InvalidDataException($"{infoPath}: empty model description.");
        // The structure only (an ONNX backbone needs its file); weights.dat holds every weight.
        var backbone = ModelRegistry.Get(info.Architecture).Create(
            new BackboneRequest(info.Alpha, info.Weights.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? info.Weights : null));
        var head = new ClassifierHead(backbone.FeatureChannels, info.ClassNames.Count, info.Head);
        var model = new TransferModel(backbone, info.Pooling, head);
        model.load(weightsPath);
        model.eval();
        return (model, info);
    }
}
