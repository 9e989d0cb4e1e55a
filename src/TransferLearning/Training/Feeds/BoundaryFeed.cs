using TransferLearning.Data;
using TransferLearning.Models;
using static TorchSharp.torch;

namespace TransferLearning.Training.Feeds;

/// <summary>
/// Backbone partly trainable: the frozen layers before the cut run without gradients (no backward through
/// them), only the trainable suffix builds a graph. Without augmentation, the activations at the cut are
/// computed once and cached while they fit in the memory budget.
/// </summary>
internal sealed class BoundaryFeed : IPhaseFeed
{
    private readonly TransferModel _model;
    private readonly ISplittableModule _graph;
    private readonly FrozenCompute _frozen;
    private readonly int _cut, _batchSize;
    private readonly DecodedImages _train;
    private readonly DecodedImages? _validation;
    private readonly BatchAugmenter _augmenter;
    private readonly BoundaryActivations? _trainCache, _validationCache;
    private int _epoch;

    public BoundaryFeed(TransferModel model, ISplittableModule graph, FrozenCompute frozen, int cut, DecodedImages train, DecodedImages? validation,
        BatchAugmenter augmenter, int batchSize, long budgetBytes, Action<string> log)
    {
        (_model, _graph, _frozen, _cut, _train, _validation, _augmenter, _batchSize) = (model, graph, frozen, cut, train, validation, augmenter, batchSize);
        long perImage = BytesPerImage();
        long needed = perImage * ((augmenter.IsActive ? 0 : train.Count) + (validation?.Count ?? 0));
        if (needed <= budgetBytes)
        {
            if (!augmenter.IsActive) _trainCache = CacheAll(train);
            if (validation is not null) _validationCache = CacheAll(validation);
            log($"cached activations at the freeze boundary (layer {cut}) of {(augmenter.IsActive ? "validation images only (augmentation changes training ones)" : "training and validation images")}: {needed / (1 << 20)} MB");
        }
        else log($"activations at the freeze boundary would take {needed / (1 << 20)} MB, over the cache budget: recomputing the frozen layers each batch");
    }

    public void BeginEpoch(int epoch) => _epoch = epoch;

    public Tensor TrainLogits(int[] indices, int batchIndex)
    {
        using var scope = NewDisposeScope();
        using var activations = _trainCache is not null ? Select(_trainCache, indices) : Prefix(_train, indices, batchIndex, augment: true);
        return Head(activations).MoveToOuterDisposeScope();
    }

    public Tensor EvalLogits(int[] indices)
    {
        using var scope = NewDisposeScope();
        using var activations = _validationCache is not null ? Select(_validationCache, indices) : Prefix(_validation!, indices, 0, augment: false);
        return Head(activations).MoveToOuterDisposeScope();
    }

    private Tensor Head(BoundaryActivations activations) =>
        _model.Head.call(GlobalPool.Apply(_graph.ForwardSuffix(activations, _cut), _model.Pooling));

    private BoundaryActivations Prefix(DecodedImages images, int[] indices, int batchIndex, bool augment)
    {
        using var _ = no_grad();
        using var batch = images.Batch(indices);
        using var input = augment ? _augmenter.Apply(batch, _epoch, batchIndex) : batch.alias();
        return _frozen.Prefix(input, _cut);
    }

    private static BoundaryActivations Select(BoundaryActivations cache, int[] indices)
    {
        using var index = tensor(indices.Select(i => (long)i).ToArray());
        return cache.Select(index);
    }

    private long BytesPerImage()
    {
        using var probe = Prefix(_train, [0], 0, augment: false);
        return probe.Bytes;
    }

    private BoundaryActivations CacheAll(DecodedImages images)
    {
        var parts = new List<BoundaryActivations>();
        for (int start = 0; start < images.Count; start += _batchSize)
            parts.Add(Prefix(images, Enumerable.Range(start, Math.Min(_batchSize, images.Count - start)).ToArray(), 0, augment: false));
        var all = BoundaryActivations.Concat(parts);
        foreach (var part in parts) part.Dispose();
        foreach (var t in all.Values.Values) t.DetachFromDisposeScope();
        return all;
    }

    public void Dispose()
    {
        _trainCache?.Dispose();
        _validationCache?.Dispose();
        _frozen.Dispose();
    }
}
