using Google.Protobuf;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace TransferLearning.Models.Onnx;

/// <summary>Turns ONNX initializers (<c>TensorProto</c>) into TorchSharp tensors.</summary>
internal static class OnnxTensorReader
{
    private const int Float = 1, Int32 = 6, Int64 = 7, Double = 11;

    public static Tensor ToTensor(TensorProto proto)
    {
        var shape = proto.Dims.ToArray();
        return proto.DataType switch
        {
            Float => tensor(proto.RawData.IsEmpty ? proto.FloatData.ToArray() : Raw<float>(proto.RawData), shape),
            Double => tensor(proto.RawData.IsEmpty ? proto.DoubleData.ToArray() : Raw<double>(proto.RawData), shape).to(float32),
            Int64 => tensor(proto.RawData.IsEmpty ? proto.Int64Data.ToArray() : Raw<long>(proto.RawData), shape),
            Int32 => tensor(proto.RawData.IsEmpty ? proto.Int32Data.ToArray() : Raw<int>(proto.RawData), shape).to(int64),
            _ => throw new NotSupportedException($"ONNX initializer '{proto.Name}': element type {proto.DataType} is not supported (float, double, int32, int64 are)."),
        };
    }

    public static long[] ToLongs(TensorProto proto)
    {
        using var t = ToTensor(proto);
        return t.to(int64).data<long>().ToArray();
    }

    // raw_data is little-endian, which is also every platform .NET runs TorchSharp on.
    private static T[] Raw<T>(ByteString bytes) where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(bytes.Span).ToArray();
}
