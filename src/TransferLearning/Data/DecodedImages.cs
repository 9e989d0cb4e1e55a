using static TorchSharp.torch;

namespace TransferLearning.Data;

/// <summary>
/// Decoded, resized images as 8-bit RGB (HWC). <see cref="Decode"/> keeps them all in memory (150 KB per image at
/// 224x224: the 3,670 flower photos take about 550 MB), decoding each file once per run. <see cref="Stream"/> keeps
/// only the paths and decodes each batch in parallel when it is asked for, for data sets over the memory budget
/// (decoding runs at over 1,000 images/s here against about 35 for the forward pass, so no prefetch is needed).
/// Either way files that fail are reported in <see cref="Skipped"/> and left out, never fatal.
/// </summary>
public sealed class DecodedImages
{
    private readonly byte[][]? _pixels;

    private DecodedImages(int height, int width, IReadOnlyList<ImageRecord> records, byte[][]? pixels, IReadOnlyList<ImageDecodeException> skipped)
    {
        Height = height;
        Width = width;
        Records = records;
        _pixels = pixels;
        Skipped = skipped;
    }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>The images that decoded, in input order.</summary>
    public IReadOnlyList<ImageRecord> Records { get; }

    /// <summary>Files that could not be decoded, each naming the file and the reason.</summary>
    public IReadOnlyList<ImageDecodeException> Skipped { get; }

    /// <summary>Number of decoded images.</summary>
    public int Count => Records.Count;

    /// <summary>True when images are decoded per batch rather than held in memory.</summary>
    public bool IsStreaming => _pixels is null;

    /// <summary>Decodes every record at <paramref name="height"/> x <paramref name="width"/> using all cores.</summary>
    public static DecodedImages Decode(IReadOnlyList<ImageRecord> records, int height, int width, Action<int>? progress = null)
    {
        var pixels = new byte[records.Count][];
        var errors = new ImageDecodeException?[records.Count];
        int done = 0;
        Parallel.For(0, records.Count, i =>
        {
            try { pixels[i] = ImageDecoder.DecodeRgb(records[i].Path, width, height); }
            catch (ImageDecodeException e) { errors[i] = e; }
            progress?.Invoke(Interlocked.Increment(ref done));
        });
        var kept = Enumerable.Range(0, records.Count).Where(i => errors[i] is null).ToList();
        return new DecodedImages(height, width, kept.Select(i => records[i]).ToList(), kept.Select(i => pixels[i]).ToArray(), errors.OfType<ImageDecodeException>().ToList());
    }

    /// <summary>
    /// Checks every record once (a quick decode at 16x16 finds corrupt and truncated files) and keeps only the
    /// paths: batches are decoded on demand, in parallel.
    /// </summary>
    public static DecodedImages Stream(IReadOnlyList<ImageRecord> records, int height, int width)
    {
        var checkedFiles = Decode(records, 16, 16);
        return new DecodedImages(height, width, checkedFiles.Records, null, checkedFiles.Skipped);
    }

    /// <summary>Images per class, for <paramref name="classes"/> classes.</summary>
    public IReadOnlyList<int> CountPerClass(int classes)
    {
        var counts = new int[classes];
        foreach (var record in Records) counts[record.Label]++;
        return counts;
    }

    /// <summary>A float batch <c>[n, 3, H, W]</c> of RGB values 0..255 for the given image indices.</summary>
    public Tensor Batch(ReadOnlySpan<int> indices)
    {
        // Copy straight into native memory: a managed batch buffer would be large-object-heap garbage every batch.
        using var scope = NewDisposeScope();
        int size = Height * Width * 3;
        var hwc = empty([indices.Length, Height, Width, 3], ScalarType.Byte);
        var target = hwc.bytes; // a span over the tensor's own storage
        var pixels = _pixels ?? DecodeBatch(indices.ToArray());
        for (int i = 0; i < indices.Length; i++) (_pixels is null ? pixels[i] : pixels[indices[i]]).CopyTo(target.Slice(i * size, size));
        return hwc.permute(0, 3, 1, 2).to(float32).contiguous().MoveToOuterDisposeScope();
    }

    private byte[][] DecodeBatch(int[] indices)
    {
        var pixels = new byte[indices.Length][];
        Parallel.For(0, indices.Length, i =>
        {
            try { pixels[i] = ImageDecoder.DecodeRgb(Records[indices[i]].Path, Width, Height); }
            catch (ImageDecodeException e) { throw new DataSetException($"{e.Message} (it decoded when the run started; was it changed since?)"); }
        });
        return pixels;
    }

    /// <summary>The labels for the given image indices, as an int64 tensor.</summary>
    public Tensor Labels(ReadOnlySpan<int> indices)
    {
        var labels = new long[indices.Length];
        for (int i = 0; i < indices.Length; i++) labels[i] = Records[indices[i]].Label;
        return tensor(labels);
    }
}
