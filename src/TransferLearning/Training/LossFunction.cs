using TorchSharp;
using static TorchSharp.torch;

namespace TransferLearning.Training;

/// <summary>
/// Softmax cross-entropy with optional label smoothing and class weights. Class weights scale each
/// sample's loss and the batch mean divides by the batch size, as Keras' <c>class_weight</c> does
/// (torch's weighted mean would divide by the sum of weights instead).
/// </summary>
public sealed class LossFunction(double[]? classWeights, double labelSmoothing) : IDisposable
{
    private readonly Tensor? _weights = classWeights is null ? null : tensor(classWeights.Select(w => (float)w).ToArray()).DetachFromDisposeScope();

    /// <summary>Mean loss of <paramref name="logits"/> <c>[N, K]</c> for int64 <paramref name="labels"/> <c>[N]</c>.</summary>
    public Tensor Compute(Tensor logits, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var perSample = nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.None, label_smoothing: labelSmoothing);
        if (_weights is not null) perSample = perSample * _weights.to(logits.device).index_select(0, labels);
        return perSample.mean().MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public void Dispose() => _weights?.Dispose();
}
