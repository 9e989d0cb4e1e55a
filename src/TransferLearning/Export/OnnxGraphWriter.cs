using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace TransferLearning.Export;

/// <summary>Builds an ONNX graph node by node: unique value names, initializers from tensors, typed attributes.</summary>
public sealed class OnnxGraphWriter
{
    private readonly GraphProto _graph = new() { Name = "transfer_model" };
    private readonly HashSet<string> _names = [];
    private int _counter;

    /// <summary>The graph built so far.</summary>
    public GraphProto Graph => _graph;

    /// <summary>A value name not used yet, based on <paramref name="hint"/>.</summary>
    public string Unique(string hint)
    {
        var name = hint;
        while (!_names.Add(name)) name = $"{hint}_{++_counter}";
        return name;
    }

    /// <summary>Adds a float (or int64) initializer holding <paramref name="value"/>'s current data; returns its name.</summary>
    public string Initializer(string hint, Tensor value)
    {
        using var contiguous = value.detach().cpu().contiguous();
        var isLong = contiguous.dtype == ScalarType.Int64;
        using var converted = isLong ? contiguous.alias() : contiguous.to(ScalarType.Float32);
        var proto = new TensorProto { Name = Unique(hint), DataType = isLong ? 7 : 1, RawData = ByteString.CopyFrom(converted.bytes) };
        proto.Dims.AddRange(converted.shape);
        _graph.Initializer.Add(proto);
        return proto.Name;
    }

    /// <summary>An int64 initializer.</summary>
    public string Longs(string hint, params long[] values)
    {
        using var t = tensor(values);
        return Initializer(hint, t);
    }

    /// <summary>A float scalar initializer.</summary>
    public string Scalar(string hint, float value)
    {
        using var t = tensor(value);
        return Initializer(hint, t);
    }

    /// <summary>Adds a node; <paramref name="output"/> null makes a fresh name. Attributes: long, long[], float, string.</summary>
    public string Node(string opType, IEnumerable<string> inputs, string? output = null, string? name = null, params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = name ?? Unique(opType) };
        node.Input.AddRange(inputs);
        output ??= Unique(node.Name + "_out");
        _names.Add(output);
        node.Output.Add(output);
        foreach (var (attribute, value) in attributes) node.Attribute.Add(Attribute(attribute, value));
        _graph.Node.Add(node);
        return output;
    }

    private static AttributeProto Attribute(string name, object value)
    {
        var a = new AttributeProto { Name = name };
        switch (value)
        {
            case long l: a.Type = AttributeProto.Types.AttributeType.Int; a.I = l; break;
            case int i: a.Type = AttributeProto.Types.AttributeType.Int; a.I = i; break;
            case long[] ls: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ls); break;
            case float f: a.Type = AttributeProto.Types.AttributeType.Float; a.F = f; break;
            case double d: a.Type = AttributeProto.Types.AttributeType.Float; a.F = (float)d; break;
            case string s: a.Type = AttributeProto.Types.AttributeType.String; a.S = ByteString.CopyFromUtf8(s); break;
            default: throw new ArgumentException($"attribute {name}: unsupported type {value.GetType().Name}");
        }
        return a;
    }
}
