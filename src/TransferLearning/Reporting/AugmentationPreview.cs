using SkiaSharp;
using TransferLearning.Data;
using TransferLearning.Spec;
using static TorchSharp.torch;

namespace TransferLearning.Reporting;

/// <summary>
/// A PNG grid to check augmentation by eye: each row is one training image, its first column the original,
/// the others augmented draws from successive epochs, exactly as training would see them.
/// </summary>
public static class AugmentationPreview
{
    /// <summary>Writes the grid for <paramref name="spec"/>'s augmentation to <paramref name="path"/> (atomically).</summary>
    public static void Write(ExperimentSpec spec, string path, int images = 6, int draws = 5)
    {
        Runtime.TorchRuntime.EnsureLoaded();
        int seed = spec.Dataset.Seed ?? 0;
        int height = spec.Dataset.ImageSize?[0] ?? 224, width = spec.Dataset.ImageSize?[1] ?? 224;
        var (_, train, _, _, _) = DataPreparation.Scan(spec, seed);
        var picked = train.GroupBy(r => r.Label).Select(g => g.First()).Concat(train).Distinct().Take(images).ToList();
        var decoded = DecodedImages.Decode(picked, height, width);
        var augmenter = new BatchAugmenter(spec.Augmentation with { Enabled = true }, seed);
        var all = Enumerable.Range(0, decoded.Count).ToArray();
        using var original = decoded.Batch(all);
        var columns = new List<Tensor> { original.alias() };
        for (int epoch = 0; epoch < draws; epoch++) columns.Add(augmenter.Apply(original, epoch, 0));

        const int gap = 4;
        using var grid = new SKBitmap(new SKImageInfo(columns.Count * (width + gap) + gap, decoded.Count * (height + gap) + gap, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(grid)) canvas.Clear(SKColors.White);
        var pixels = grid.GetPixelSpan();
        for (int c = 0; c < columns.Count; c++)
        {
            var hwc = columns[c].clamp(0, 255).round().to(ScalarType.Byte).permute(0, 2, 3, 1).contiguous().data<byte>().ToArray();
            for (int i = 0; i < decoded.Count; i++)
                for (int y = 0; y < height; y++)
                    for (int x = 0; x < width; x++)
                    {
                        int source = ((i * height + y) * width + x) * 3;
                        int target = ((gap + i * (height + gap) + y) * grid.Width + gap + c * (width + gap) + x) * 4;
                        pixels[target] = hwc[source];
                        pixels[target + 1] = hwc[source + 1];
                        pixels[target + 2] = hwc[source + 2];
                        pixels[target + 3] = 255;
                    }
            columns[c].Dispose();
        }
        AtomicFile.Write(path, temp =>
        {
            using var data = grid.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(temp, data.ToArray());
        });
    }
}
