namespace TransferLearning.Models.Registry;

/// <summary>What a backbone is built with.</summary>
/// <param name="Alpha">Width multiplier (Keras' <c>alpha</c>; MobileNet and MobileNetV2 only).</param>
/// <param name="Weights">
/// <c>imagenet</c>; <c>none</c> for random initialisation; a path to a Keras <c>.h5</c> file; or null when the caller
/// loads weights itself (a saved model, a copy): then no pretrained weights are looked for.
/// </param>
/// <param name="WeightsCache">A folder searched first for ImageNet weight files (the spec's <c>model.weights_cache</c>).</param>
/// <param name="Log">Where progress and warnings go.</param>
/// <param name="Cancellation">Stops a weights download (the partial file is kept and resumed next time).</param>
public sealed record BackboneRequest(double Alpha = 1.0, string? Weights = "imagenet", string? WeightsCache = null, Action<string>? Log = null,
    CancellationToken Cancellation = default)
{
    /// <summary>Structure only: the caller loads the weights (a saved model, the bfloat16 copy).</summary>
    public static BackboneRequest StructureOnly(double alpha = 1.0) => new(alpha, null);
}
