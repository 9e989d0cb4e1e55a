using TransferLearning.Data;
using TransferLearning.Models;
using static TorchSharp.torch;

namespace TransferLearning.Training.Feeds;

/// <summary>
/// Backbone frozen: pooled features are computed once per phase and the head trains on them, so an
/// epoch costs a fraction of a forward pass. With augmentation the training features are recomputed
/// each epoch from freshly augmented images (still without gradients), because augmentation changes them.
/// </summary>
internal sealed class PooledFeatureFeed : IPhaseFeed
{
    private readonly TransferModel _model;
    private readonly FrozenCompute _frozen;
    private readonly DecodedImages _train;
    private readonly BatchAugmenter _augmenter;
    private readonly int _batchSize;
    private readonly Tensor? _validation;
    private Tensor? _features;

    public PooledFeatureFeed(TransferModel model, FrozenCompute frozen, DecodedImages train, DecodedImages? validation, BatchAugmenter augmenter, int batchSize, Action<string> log)
    {
        (_model, _frozen, _train, _augmenter, _batchSize) = (model, frozen, train, augmenter, batchSize);
        if (!augmenter.IsActive)
        {
            log($"caching backbone features of {train.Count} training images (backbone frozen, no augmentation)");
            _features = Extract(train, null);
        }
        if (validation is not null)
        {
            log($"caching backbone features of {validation.Count} validation images");
            _validation = Extract(validation, null);
        }
    }

    public void BeginEpoch(int epoch)
    {
        if (!_augmenter.IsActive) return;
        _features?.Dispose();
        _features = Extract(_train, (batch, index) => _augmenter.Apply(batch, epoch, index));
    }

    public Tensor TrainLogits(int[] indices, int batchIndex)
    {
        using var index = tensor(indices.Select(i => (long)i).ToArray());
        using var features = _features!.index_select(0, index);
        return _model.Head.call(features);
    }

    public Tensor EvalLogits(int[] indices)
    {
        using var index = tensor(indices.Select(i => (long)i).ToArray());
        using var features = _validation!.index_select(0, index);
        return _model.Head.call(features);
    }

    private Tensor Extract(DecodedImages images, Func<Tensor, int, Tensor>? transform) =>
        FeatureExtractor.Extract(images, _batchSize, batch => _frozen.PooledFeatures(batch, _model.Pooling), _frozen.Backbone, transform: transform).DetachFromDisposeScope();

    public void Dispose()
    {
        _features?.Dispose();
        _validation?.Dispose();
        _frozen.Dispose();
    }
}
