using TransferLearning.Data;
using TransferLearning.Runtime;
using TransferLearning.Spec;
using static TorchSharp.torch;

namespace TransferLearning.Tests.Data;

public sealed class BatchAugmenterTests
{
    public BatchAugmenterTests() => TorchRuntime.EnsureLoaded();

    private static Tensor Photos() => ExampleData.Train.Batch([0, 1, 2, 3]);

    [Fact]
    public void An_enabled_but_empty_augmentation_is_the_identity()
    {
        var augmenter = new BatchAugmenter(new AugmentationSpec { Enabled = true }, 1);
        using var x = Photos();
        using var y = augmenter.Apply(x, 0, 0);
        Assert.True(TensorAssert.Same(x, y));
    }

    [Fact]
    public void Horizontal_flip_gives_each_image_or_its_mirror_and_both_occur()
    {
        var augmenter = new BatchAugmenter(new AugmentationSpec { Enabled = true, HorizontalFlip = true }, 5);
        using var x = ExampleData.Train.Batch(Enumerable.Range(0, 16).ToArray());
        using var y = augmenter.Apply(x, 0, 0);
        using var mirrored = x.flip(3);
        int flipped = 0;
        for (int i = 0; i < 16; i++)
        {
            bool same = y[i].allclose(x[i], 0, 1e-2), mirror = y[i].allclose(mirrored[i], 0, 1e-2);
            Assert.True(same || mirror, $"image {i} is neither itself nor its mirror");
            if (mirror && !same) flipped++;
        }
        Assert.InRange(flipped, 1, 15);
    }

    [Fact]
    public void Transforms_are_seeded_by_epoch_and_batch()
    {
        var spec = new AugmentationSpec { Enabled = true, RotationRange = 20, ZoomRange = [0.9, 1.1], WidthShiftRange = 0.1, HeightShiftRange = 0.1 };
        using var x = Photos();
        using var a = new BatchAugmenter(spec, 7).Apply(x, 3, 2);
        using var b = new BatchAugmenter(spec, 7).Apply(x, 3, 2);
        using var c = new BatchAugmenter(spec, 7).Apply(x, 4, 2);
        Assert.True(TensorAssert.Same(a, b));
        Assert.False(TensorAssert.Same(a, c));
        Assert.Equal(x.shape, a.shape);
        Assert.InRange(a.min().item<float>(), 0f, 255f);
        Assert.InRange(a.max().item<float>(), 0f, 255f);
    }

    [Fact]
    public void Width_shift_moves_pixels_sideways_and_nearest_fill_repeats_the_edge()
    {
        // A single bright column in the middle of a dark image; any shift must keep it vertical and the fill dark.
        var pixels = new float[3 * 32 * 32];
        for (int c = 0; c < 3; c++) for (int row = 0; row < 32; row++) pixels[(c * 32 + row) * 32 + 16] = 255f;
        using var image = tensor(pixels, [1, 3, 32, 32]);
        var augmenter = new BatchAugmenter(new AugmentationSpec { Enabled = true, WidthShiftRange = 0.25 }, 11);
        using var shifted = augmenter.Apply(image, 0, 0);
        using var column = shifted[0, 0].sum([0]); // brightness per column (sum(0) would mean dtype Byte)
        var brightest = column.argmax().item<long>();
        Console.WriteLine($"BRIGHTEST {brightest} {string.Join(",", column.data<float>().ToArray().Select(v => (int)v))}");
        Assert.NotEqual(16, brightest);
        Assert.True(Math.Abs(brightest - 16) <= 8);
        Assert.Equal(0f, shifted[0, 0, TensorIndex.Colon, 0].sum().item<float>());
    }
}
