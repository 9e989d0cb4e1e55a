using TransferLearning.Data;
using TransferLearning.Models.Architectures;
using TransferLearning.Spec;
using static TorchSharp.torch;

namespace TransferLearning.Bench;

/// <summary>
/// The input side alone on the 3,670 flower photos at 224x224: decode + resize throughput, peak RSS after
/// holding every decoded image, batching with and without augmentation (images/s), each against raw ResNet-18
/// forward measured in the same run.
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
        context.Report("augmented loader / forward", augmented / forward, "ratio");
        context.Report("decode (once per run) / forward", images.Count / decodeSeconds / forward, "ratio");
        context.Report("peak RSS (with the model)", BenchContext.PeakRssMb(), "MB");
        context.Save("Input pipeline alone vs the backbone's forward pass, same process, 224x224, batch 32. Augmentation as the seed spec: flip, rotation 15, zoom 0.1, shifts 0.1.");
    }
}
