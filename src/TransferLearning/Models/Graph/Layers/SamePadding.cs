namespace TransferLearning.Models.Graph.Layers;

/// <summary>
/// TensorFlow's <c>padding="same"</c>: output size <c>ceil(in / stride)</c>, the total padding split with the odd pixel
/// at the bottom/right. It depends on the input size (stride 2 pads an even input by 0+1, an odd one by 1+1), so
/// Keras layers compute it per call, as TensorFlow does.
/// </summary>
internal static class SamePadding
{
    /// <summary>ONNX-order pads <c>[top, left, bottom, right]</c> for an input of <paramref name="height"/> x <paramref name="width"/>.</summary>
    public static long[] Pads(long height, long width, long[] kernel, long[] strides, long[] dilations)
    {
        (long Before, long After) One(long size, int axis)
        {
            long effectiveKernel = (kernel[axis] - 1) * dilations[axis] + 1;
            long output = (size + strides[axis] - 1) / strides[axis];
            long total = Math.Max((output - 1) * strides[axis] + effectiveKernel - size, 0);
            return (total / 2, total - total / 2);
        }
        var (top, bottom) = One(height, 0);
        var (left, right) = One(width, 1);
        return [top, left, bottom, right];
    }
}
