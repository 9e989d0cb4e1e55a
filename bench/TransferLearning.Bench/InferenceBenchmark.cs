using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TransferLearning.Data;
using TransferLearning.Export;
using TransferLearning.Spec;

namespace TransferLearning.Bench;

/// <summary>
/// Using a trained model: `tl predict` on one image from a cold process, the in-process Predictor on one image (warm)
/// and on a folder, and the exported model.onnx in ONNX Runtime on the same images.
/// </summary>
internal static class InferenceBenchmark
{
    public static void Run(BenchContext context, string repoRoot)
    {
        var work = Path.Combine(Path.GetTempPath(), $"tl-bench-inference-{DateTime.Now:yyyyMMdd-HHmmss}");
        var spec = SpecLoader.Parse($$$"""
            {"dataset": {"path": "{{{Path.Combine(repoRoot, "examples", "flowers-mini", "data")}}}", "validation_split": 0.2, "seed": 1},
             "model": {"base_architecture": "ResNet18", "trainable_strategy": "feature_extraction"},
             "training": {"feature_extraction_epochs": 2}}
            """, work);
        BenchContext.Log("training a small model to time");
        var model = Experiment.Run(spec, new RunOptions { OutputDirectory = Path.Combine(work, "run") }).ModelDirectory;
        var images = Predictor.ImagesAt(context.Flowers).Where((_, i) => i % 18 == 0).Take(200).ToList();

        var cli = Path.Combine(repoRoot, "src", "TransferLearning.Cli", "bin", "Release", "net10.0", "tl.dll");
        var cold = BenchContext.Time(() =>
        {
            using var tl = Process.Start(new ProcessStartInfo("dotnet", [cli, "predict", model, images[0], "--format", "json"]) { RedirectStandardOutput = true })!;
            tl.StandardOutput.ReadToEnd();
            tl.WaitForExit();
        });
        context.Report("tl predict, one image, cold process", cold * 1000, "ms");

        using var predictor = Predictor.Load(model);
        predictor.Predict([images[0]]);
        var warm = BenchContext.Time(() => { for (int i = 0; i < 20; i++) predictor.Predict([images[i]]); }) / 20;
        context.Report("Predictor, one image, warm (decode included)", warm * 1000, "ms");
        var folder = BenchContext.Time(() => predictor.Predict(images));
        context.Report($"Predictor, {images.Count} images in batches of 32", images.Count / folder, "images/s");

        using var session = new InferenceSession(Path.Combine(model, OnnxExport.FileName));
        float[] Pixels(IEnumerable<string> paths) => paths.SelectMany(p => ToChw(ImageDecoder.DecodeRgb(p, 224, 224))).ToArray();
        float[] Run(float[] data, int n)
        {
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("rgb", new DenseTensor<float>(data, [n, 3, 224, 224]))]);
            return results.First().AsEnumerable<float>().ToArray();
        }
        Run(Pixels([images[0]]), 1);
        var onnxOne = BenchContext.Time(() => { for (int i = 0; i < 20; i++) Run(Pixels([images[i]]), 1); }) / 20;
        context.Report("ONNX Runtime, one image, warm (decode included)", onnxOne * 1000, "ms");
        var onnxFolder = BenchContext.Time(() => { foreach (var chunk in images.Chunk(32)) Run(Pixels(chunk), chunk.Length); });
        context.Report($"ONNX Runtime, {images.Count} images in batches of 32", images.Count / onnxFolder, "images/s");
        context.Report("peak RSS", BenchContext.PeakRssMb(), "MB");
        context.Save($"A ResNet-18 model trained on the bundled example (feature extraction, 2 epochs), {images.Count} flower photos from ../shared, 224x224, " +
                     "TorchSharp (Predictor, float32) and ONNX Runtime 1.32 (CPU, default options) on the exported model.onnx.");
    }

    private static IEnumerable<float> ToChw(byte[] rgb)
    {
        int pixels = rgb.Length / 3;
        for (int c = 0; c < 3; c++)
            for (int p = 0; p < pixels; p++) yield return rgb[p * 3 + c];
    }
}
