using TorchSharp;
using TransferLearning.Data;
using TransferLearning.Models;
using static TorchSharp.torch;

namespace TransferLearning.Training;

/// <summary>
/// Runs a frozen backbone once over a data set and keeps the pooled features: while the backbone is
/// frozen its output never changes, so the head can train on these for every epoch at almost no cost
/// (what ML.NET's image classification trainer calls bottleneck caching).
/// </summary>
public static class FeatureExtractor
{
    /// <summary>Pooled features <c>[N, C]</c> for every image of <paramref name="images"/>, in order.</summary>
    /// <param name="backbone">The backbone; it is put in eval mode.</param>
    /// <param name="images">Decoded images.</param>
    /// <param name="batchSize">Images per forward pass.</param>
    /// <param name="pooling">Global pooling applied to the feature map.</param>
    /// <param name="progress">Called with the number of images done after each batch.</param>
    /// <param name="transform">Applied to each raw batch (with its batch index) before preprocessing, e.g. augmentation.</param>
    public static Tensor Extract(Backbone backbone, DecodedImages images, int batchSize, GlobalPooling pooling, Action<int>? progress = null,
        Func<Tensor, int, Tensor>? transform = null) =>
        Extract(images, batchSize, batch => GlobalPool.Apply(backbone.call(backbone.Preprocessing.Apply(batch)), pooling), backbone, progress, transform);

    /// <summary>Features <c>[N, C]</c> from <paramref name="features"/> (raw RGB batch in, pooled features out) over every image, in order.</summary>
    internal static Tensor Extract(DecodedImages images, int batchSize, Func<Tensor, Tensor> features, Backbone backbone, Action<int>? progress = null,
        Func<Tensor, int, Tensor>? transform = null)
    {
        backbone.eval();
        var order = Enumerable.Range(0, images.Count).ToArray();
        var chunks = new List<Tensor>();
        using (no_grad())
        {
            for (int start = 0; start < order.Length; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var indices = order.AsSpan(start, Math.Min(batchSize, order.Length - start));
                var batch = images.Batch(indices);
                if (transform is not null) batch = transform(batch, start / batchSize);
                chunks.Add(features(batch).MoveToOuterDisposeScope());
                progress?.Invoke(start + indices.Length);
            }
        }
        var all = cat(chunks, 0);
        foreach (var chunk in chunks) chunk.Dispose();
        return all;
    }
}
