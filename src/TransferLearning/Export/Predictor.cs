using TransferLearning.Data;
using TransferLearning.Models;
using static TorchSharp.torch;

namespace TransferLearning.Export;

/// <summary>
/// Loads an exported model folder and classifies image files in batches. Unreadable files get a
/// <see cref="Prediction"/> with an error instead of stopping the others.
/// </summary>
public sealed class Predictor : IDisposable
{
    private readonly TransferModel _model;

    private Predictor(TransferModel model, SavedModelInfo info)
    {
        _model = model;
        Info = info;
    }

    /// <summary>What the model folder says about the model.</summary>
    public SavedModelInfo Info { get; }

    /// <summary>Loads <paramref name="modelDirectory"/> (made by <c>tl train</c>).</summary>
    public static Predictor Load(string modelDirectory)
    {
        Runtime.TorchRuntime.EnsureLoaded();
        var (model, info) = SavedModel.Load(modelDirectory);
        return new Predictor(model, info);
    }

    /// <summary>Image files under <paramref name="path"/> (a file, or a folder searched recursively, sorted).</summary>
    public static IReadOnlyList<string> ImagesAt(string path)
    {
        if (File.Exists(path)) return [path];
        if (!Directory.Exists(path)) throw new FileNotFoundException($"{path} is neither an image file nor a folder.", path);
        return Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
            .Where(f => ImageFolder.ImageExtensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Classifies <paramref name="paths"/>, returning the <paramref name="topK"/> classes of each, in input order.</summary>
    public IReadOnlyList<Prediction> Predict(IReadOnlyList<string> paths, int topK = 3, int batchSize = 32)
    {
        var records = paths.Select(p => new ImageRecord(p, 0)).ToList();
        var decoded = DecodedImages.Decode(records, Info.ImageHeight, Info.ImageWidth);
        var probabilities = Training.Trainer.Predict(_model, decoded, batchSize);
        var byPath = new Dictionary<string, Prediction>();
        int k = Math.Clamp(topK, 1, Info.ClassNames.Count);
        for (int i = 0; i < decoded.Count; i++)
        {
            var top = probabilities[i].Select((p, c) => new ClassProbability(Info.ClassNames[c], p)).OrderByDescending(x => x.Probability).Take(k).ToList();
            byPath[decoded.Records[i].Path] = new Prediction(decoded.Records[i].Path, top, null);
        }
        foreach (var failed in decoded.Skipped) byPath[failed.Path] = new Prediction(failed.Path, [], failed.Message);
        return paths.Select(p => byPath[p]).ToList();
    }

    /// <summary>
    /// Scores the model on a labelled folder (one sub-folder per class, named as the model's classes): the same
    /// metrics, report and confusion matrix as training writes. Files that cannot be decoded are skipped and listed.
    /// </summary>
    public (Evaluation.ClassificationMetrics Metrics, IReadOnlyList<ImageDecodeException> Skipped) Evaluate(string folder, int batchSize = 32)
    {
        var images = ImageFolder.Scan(folder, Info.ClassNames);
        var decoded = DecodedImages.Decode(images.Images, Info.ImageHeight, Info.ImageWidth);
        var probabilities = Training.Trainer.Predict(_model, decoded, batchSize);
        var labels = decoded.Records.Select(r => r.Label).ToArray();
        return (Evaluation.ClassificationMetrics.FromProbabilities(labels, probabilities, Info.ClassNames), decoded.Skipped);
    }

    /// <summary>Probabilities for a batch that is already a float tensor <c>[N, 3, H, W]</c> of RGB 0..255 at the model's size.</summary>
    public Tensor PredictProbabilities(Tensor rgb)
    {
        _model.eval();
        using var _ = no_grad();
        return _model.PredictProbabilities(rgb);
    }

    /// <inheritdoc/>
    public void Dispose() => _model.Dispose();
}
