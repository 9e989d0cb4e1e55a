namespace TransferLearning.Models.Graph.Layers;

/// <summary>Splits ONNX 2-D pads <c>[top, left, bottom, right]</c> into what torch can do inside the op and what needs a separate pad.</summary>
internal static class PadSplit
{
    /// <summary>
    /// Symmetric pads go to the op as <c>[h, w]</c>; asymmetric ones become an explicit
    /// <c>F.pad</c> argument in torch order <c>[left, right, top, bottom]</c> and the op gets zero padding.
    /// </summary>
    public static (long[] Symmetric, long[]? Explicit) Split(long[] pads)
    {
        if (pads.Length == 0) return ([0, 0], null);
        if (pads.Length != 4) throw new NotSupportedException($"pads of length {pads.Length}: only 2-D pads are supported.");
        return pads[0] == pads[2] && pads[1] == pads[3]
            ? ([pads[0], pads[1]], null)
            : ([0, 0], [pads[1], pads[3], pads[0], pads[2]]);
    }
}
