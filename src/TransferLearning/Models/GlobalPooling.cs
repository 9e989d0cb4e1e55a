namespace TransferLearning.Models;

/// <summary>How a feature map becomes one vector per image (Keras' <c>pooling</c> / the spec's <c>head.global_pool</c>).</summary>
public enum GlobalPooling
{
    /// <summary>Global average pooling (Keras <c>"avg"</c>).</summary>
    Avg,

    /// <summary>Global max pooling (Keras <c>"max"</c>).</summary>
    Max,
}

/// <summary>Applies a <see cref="GlobalPooling"/>.</summary>
public static class GlobalPool
{
    /// <summary>Pools a feature map <c>[N, C, h, w]</c> to <c>[N, C]</c>.</summary>
    public static TorchSharp.torch.Tensor Apply(TorchSharp.torch.Tensor featureMap, GlobalPooling pooling) =>
        pooling == GlobalPooling.Max ? featureMap.amax([2, 3]) : featureMap.mean([2, 3]);
}
