using System.Diagnostics;
using TransferLearning.Data;
using TransferLearning.Models.Architectures;
using TransferLearning.Spec;
using static TorchSharp.torch;

namespace TransferLearning.Bench;

/// <summary>
/// The throughput ladder on the 3,670 flower photos at 224x224, batch 32, every rung as a ratio to raw ResNet-18 forward
/// measured in the same run: decode + resize, batching, batching + augmentation, feature extraction through the real
/// pipeline, one fine-tuning training step (20 layers unfrozen); and peak RSS after holding every decoded image.
/// </summary>
internal static class LoaderBenchmark
{
    public static void Run(BenchContext context)
    {
        const int size = 224, batchSize = 32;
        var folder = ImageFolder.Scan(context.Flowers);
        DecodedImages images = null!;
        var decodeSeconds = BenchContext.Time(() => images = DecodedImages.Decode(folder.Images, size, size));
        context.Report("decode + resize, all cores", images.Count / decodeSeconds, "images/s");
        context.Report("peak RSS after decoding all images", BenchContext.PeakRssMb(), "MB");
        context.Report("decoded images held", (double)images.Count * size * size * 3 / (1 << 20), "MB");

        var order = Enumerable.Range(0, images.Count).ToArray();
        double Pass(BatchAugmenter? augmenter) => images.Count / BenchContext.Time(() =>
        {
            for (int start = 0, b = 0; start < order.Length; start += batchSize, b++)
            {
                using var scope = NewDisposeScope();
                var batch = images.Batch(order.AsSpan(start, Math.Min(batchSize, order.Length - start)));
                if (augmenter is not null) augmenter.Apply(batch, 0, b);
            }
        });
        var plain = Pass(null);
        var augmentation = new AugmentationSpec { Enabled = true, HorizontalFlip = true, RotationRange = 15, ZoomRange = [0.9, 1.1], WidthShiftRange = 0.1, HeightShiftRange = 0.1 };
        var augmented = Pass(new BatchAugmenter(augmentation, 1));
        context.Report("batching from memory", plain, "images/s");
        context.Report("batching + seed-spec augmentation", augmented, "images/s");

        using var backbone = ResNet18Onnx.Create();
        backbone.eval();
        GC.Collect();
        context.Report("peak RSS after loading the model", BenchContext.PeakRssMb(), "MB");
        var forward = LinearProbeBenchmark.RawForward(backbone, batchSize, size, batches: 8);
        context.Report("raw ResNet-18 forward, batch 32 (fp32)", forward, "images/s");
        var sample = DecodedImagesSample(images, 256);
        var extraction = sample.Count / BenchContext.Time(() => Training.FeatureExtractor.Extract(backbone, sample, batchSize, Models.GlobalPooling.Avg).Dispose());
        context.Report("feature extraction, real pipeline (fp32)", extraction, "images/s");
        var step = FineTuneStep(backbone, images, batchSize);
        context.Report("fine-tuning step, 20 layers unfrozen (fp32)", step, "images/s");
        context.Report("ladder: decode / forward", images.Count / decodeSeconds / forward, "ratio");
        context.Report("ladder: batching / forward", plain / forward, "ratio");
        context.Report("ladder: batching + augmentation / forward", augmented / forward, "ratio");
        context.Report("ladder: feature extraction / forward", extraction / forward, "ratio");
        context.Report("ladder: fine-tuning step / forward", step / forward, "ratio");
        context.Report("peak RSS (with the model)", BenchContext.PeakRssMb(), "MB");
        context.Save("Throughput ladder; input pipeline vs the backbone's forward pass, same process, 224x224, batch 32. Augmentation as the seed spec: flip, rotation 15, zoom 0.1, shifts 0.1.");
    }

    private static DecodedImages DecodedImagesSample(DecodedImages images, int count) =>
        DecodedImages.Decode(images.Records.Take(count).ToList(), images.Height, images.Width);

    /// <summary>Images/s of full training steps through the real fine-tuning path (frozen prefix without gradients, suffix + head trained).</summary>
    private static double FineTuneStep(Models.Backbone backbone, DecodedImages images, int batchSize)
    {
        using var model = new Models.TransferModel(backbone, Models.GlobalPooling.Avg, new Models.Heads.ClassifierHead(backbone.FeatureChannels, 5, new HeadSpec { DenseUnits = [256] }));
        var sample = DecodedImagesSample(images, batchSize * 6);
        var trainer = new Training.Trainer(model, new Training.TrainerOptions { Training = new TrainingSpec { BatchSize = batchSize }, ClassNames = ["a", "b", "c", "d", "e"] }, []);
        var watch = Stopwatch.StartNew();
        trainer.RunPhase(new Training.TrainingPhase("fine_tune", 1, 1e-4, 20), sample, null, new BatchAugmenter(new AugmentationSpec { Enabled = true, HorizontalFlip = true }, 1));
        return sample.Count / watch.Elapsed.TotalSeconds;
    }
}
