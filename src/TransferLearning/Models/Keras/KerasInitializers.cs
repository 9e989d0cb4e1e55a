using static TorchSharp.torch;

namespace TransferLearning.Models.Keras;

/// <summary>
/// Keras' kernel initialisers, for <c>weights: "none"</c>. Each takes the torch-layout shape and Keras' fans (a
/// convolution kernel's <c>fan_in = kh * kw * in</c>, <c>fan_out = kh * kw * out</c>; a depthwise kernel's out is 1).
/// </summary>
public static class KerasInitializers
{
    /// <summary>A kernel initialiser: torch-layout shape, Keras' fan_in and fan_out.</summary>
    public delegate Tensor Initializer(long[] shape, long fanIn, long fanOut);

    /// <summary>Keras' default, <c>glorot_uniform</c>: uniform in <c>±sqrt(6 / (fan_in + fan_out))</c>.</summary>
    public static Tensor GlorotUniform(long[] shape, long fanIn, long fanOut)
    {
        double limit = Math.Sqrt(6.0 / (fanIn + fanOut));
        return empty(shape).uniform_(-limit, limit);
    }

    /// <summary>
    /// <c>VarianceScaling(scale, mode="fan_out", distribution="truncated_normal")</c>, EfficientNet's
    /// <c>CONV_KERNEL_INITIALIZER</c> with scale 2: normal cut at two standard deviations, whose standard deviation Keras
    /// divides by 0.8796 (that of a standard normal cut there) so that the drawn values have variance <c>scale / fan_out</c>.
    /// </summary>
    public static Initializer VarianceScalingFanOut(double scale) => (shape, _, fanOut) =>
    {
        double std = Math.Sqrt(scale / Math.Max(1, fanOut)) / 0.87962566103423978;
        // Inverse-CDF sampling of a normal cut at ±2: uniform in (erf(-2/sqrt2), erf(2/sqrt2)), then erfinv
        // (TorchSharp 0.107's trunc_normal_ returned near-constant values here).
        const double bound = 0.9544997361036416; // erf(sqrt(2)) = P(|z| < 2)
        using var uniform = empty(shape).uniform_(-bound, bound);
        using var normal = uniform.erfinv();
        return (normal * (std * Math.Sqrt(2))).clamp_(-2 * std, 2 * std);
    };
}
