namespace TransferLearning.Models;

/// <summary>How a feature map becomes one vector per image (Keras' <c>pooling</c> / the spec's <c>head.global_pool</c>).</summary>
public enum GlobalPooling
{
    /// <summary>Global average pooling (Keras <c>"avg"</c>).</summary>
    Avg,

    /// <summary>Global max pooling (Keras <c>"max"</c>).</summary>
    Max,
}
