using Onnx;

namespace TransferLearning.Models.Onnx;

/// <summary>Typed access to an ONNX node's attributes, with the ONNX defaults supplied by the caller.</summary>
internal sealed class OnnxNodeAttributes(NodeProto node)
{
    private AttributeProto? Find(string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    public long[] Ints(string name, long[] fallback) => Find(name) is { } a && a.Ints.Count > 0 ? a.Ints.ToArray() : fallback;

    public long Int(string name, long fallback) => Find(name)?.I ?? fallback;

    public float Float(string name, float fallback) => Find(name) is { } a ? a.F : fallback;

    public string String(string name, string fallback) => Find(name) is { } a ? a.S.ToStringUtf8() : fallback;

    public bool Has(string name) => Find(name) is not null;
}
