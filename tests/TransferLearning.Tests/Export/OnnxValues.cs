using Onnx;

namespace TransferLearning.Tests.Export;

/// <summary>Graph inputs and outputs for ONNX models built in tests.</summary>
internal static class OnnxValues
{
    /// <summary>A float32 value named <paramref name="name"/>; with <paramref name="dims"/> its fixed shape, else no shape.</summary>
    public static ValueInfoProto Float(string name, params long[] dims)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = 1 };
        if (dims.Length > 0)
        {
            tensor.Shape = new TensorShapeProto();
            foreach (var d in dims) tensor.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }
}
