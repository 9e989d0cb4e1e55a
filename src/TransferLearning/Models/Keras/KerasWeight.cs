namespace TransferLearning.Models.Keras;

/// <summary>
/// One weight tensor of a Keras layer, in Keras' own layout (channels last: Conv2D kernel
/// <c>[kh, kw, in, out]</c>, DepthwiseConv2D <c>[kh, kw, C, 1]</c>, Dense <c>[in, out]</c>).
/// </summary>
/// <param name="Name">
/// The weight's short name, without the layer prefix and without <c>:0</c>:
/// <c>kernel</c>, <c>bias</c>, <c>depthwise_kernel</c>, <c>gamma</c>, <c>beta</c>, <c>moving_mean</c>, <c>moving_variance</c>.
/// </param>
/// <param name="Shape">The tensor's dimensions, outermost first; empty for a scalar.</param>
/// <param name="Values">The values in row-major (C) order; as many as the product of <paramref name="Shape"/>.</param>
/// <remarks>Record equality compares the arrays by reference, not by content.</remarks>
public sealed record KerasWeight(string Name, long[] Shape, float[] Values);
