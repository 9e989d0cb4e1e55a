using TransferLearning.Data;
using TransferLearning.Models;
using static TorchSharp.torch;

namespace TransferLearning.Training.Feeds;

/// <summary>Every layer trainable (or a backbone that cannot be split): the whole model runs on each batch.</summary>
internal sealed class FullModelFeed(TransferModel model, DecodedImages train, DecodedImages? validation, BatchAugmenter augmenter) : IPhaseFeed
{
    private int _epoch;

    public void BeginEpoch(int epoch) => _epoch = epoch;

    public Tensor TrainLogits(int[] indices, int batchIndex)
    {
        using var batch = train.Batch(indices);
        using var input = augmenter.Apply(batch, _epoch, batchIndex);
        return model.call(input);
    }

    public Tensor EvalLogits(int[] indices)
    {
        using var batch = validation!.Batch(indices);
        return model.call(batch);
    }

    public void Dispose() { }
}
