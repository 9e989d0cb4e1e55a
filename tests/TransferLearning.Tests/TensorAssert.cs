using static TorchSharp.torch;

namespace TransferLearning.Tests;

internal static class TensorAssert
{
    /// <summary>Same shape and exactly the same values.</summary>
    public static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
