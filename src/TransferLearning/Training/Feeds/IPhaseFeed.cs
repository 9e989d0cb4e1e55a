using static TorchSharp.torch;

namespace TransferLearning.Training.Feeds;

/// <summary>
/// How a phase turns image indices into logits. Each implementation avoids work the maths makes
/// unnecessary: a frozen backbone's features are computed once, frozen layers run without gradients,
/// activations at the freeze boundary are cached when no augmentation changes them.
/// </summary>
internal interface IPhaseFeed : IDisposable
{
    /// <summary>Called before each training epoch (0-based epoch of the run, for seeded augmentation).</summary>
    void BeginEpoch(int epoch);

    /// <summary>Logits for training images (with gradients on the trainable part).</summary>
    Tensor TrainLogits(int[] indices, int batchIndex);

    /// <summary>Logits for validation images, in eval mode without gradients.</summary>
    Tensor EvalLogits(int[] indices);
}
