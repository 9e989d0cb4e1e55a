using static TorchSharp.torch;

namespace TransferLearning.Models.Keras;

/// <summary>How a Keras weight's array is laid out compared with the torch tensor that holds it.</summary>
public enum KerasLayout
{
    /// <summary>Same layout (biases, BatchNorm vectors).</summary>
    AsIs,

    /// <summary>Conv2D kernel: Keras <c>[kh, kw, in, out]</c>, torch <c>[out, in, kh, kw]</c>.</summary>
    ConvKernel,

    /// <summary>DepthwiseConv2D kernel: Keras <c>[kh, kw, C, multiplier]</c>, torch <c>[C * multiplier, 1, kh, kw]</c>.</summary>
    DepthwiseKernel,

    /// <summary>Dense kernel: Keras <c>[in, out]</c>, torch <c>[out, in]</c>.</summary>
    DenseKernel,
}

/// <summary>Converts weights between Keras' channels-last layouts and torch's.</summary>
public static class KerasLayouts
{
    /// <summary>The shape a torch tensor of shape <paramref name="torchShape"/> has in Keras.</summary>
    public static long[] KerasShape(long[] torchShape, KerasLayout layout) => layout switch
    {
        KerasLayout.ConvKernel => [torchShape[2], torchShape[3], torchShape[1], torchShape[0]],
        KerasLayout.DepthwiseKernel => [torchShape[2], torchShape[3], torchShape[0], 1],
        KerasLayout.DenseKernel => [torchShape[1], torchShape[0]],
        _ => torchShape,
    };

    /// <summary>A Keras array (already shaped as Keras has it) in torch layout.</summary>
    public static Tensor FromKeras(Tensor keras, KerasLayout layout) => layout switch
    {
        KerasLayout.ConvKernel => keras.permute(3, 2, 0, 1).contiguous(),
        KerasLayout.DepthwiseKernel => keras.permute(2, 3, 0, 1).reshape(keras.shape[2] * keras.shape[3], 1, keras.shape[0], keras.shape[1]),
        KerasLayout.DenseKernel => keras.t().contiguous(),
        _ => keras.alias(),
    };

    /// <summary>A torch tensor in Keras layout.</summary>
    public static Tensor ToKeras(Tensor torch, KerasLayout layout) => layout switch
    {
        KerasLayout.ConvKernel => torch.permute(2, 3, 1, 0).contiguous(),
        KerasLayout.DepthwiseKernel => torch.reshape(torch.shape[0], 1, torch.shape[2], torch.shape[3]).permute(2, 3, 0, 1).contiguous(),
        KerasLayout.DenseKernel => torch.t().contiguous(),
        _ => torch.alias(),
    };
}
