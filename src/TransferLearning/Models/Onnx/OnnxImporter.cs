using TransferLearning.Models.Graph;
using Onnx;
using TransferLearning.Models.Graph.Layers;
using static TorchSharp.torch;

namespace TransferLearning.Models.Onnx;

/// <summary>
/// Builds a trainable <see cref="LayerGraph"/> from an ONNX CNN: the operator subset that image
/// backbones use (Conv, BatchNormalization, Relu, Clip, LeakyRelu, Sigmoid, Add, Sub, Mul, Div, MaxPool,
/// AveragePool, GlobalAveragePool, GlobalMaxPool, Concat, Flatten, Gemm, Pad, Reshape, Identity, Dropout).
/// Any other operator is an <see cref="UnsupportedOnnxException"/> naming the node.
/// </summary>
public static class OnnxImporter
{
    /// <summary>Imports the graph in <paramref name="path"/>. With <paramref name="outputName"/>, the graph ends at that value
    /// (nodes after it are dropped): that is how a backbone is cut before its own pooling or classifier.</summary>
    public static LayerGraph Load(string path, string? outputName = null)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{path}: not a valid ONNX file ({e.Message}).");
        }
        return Build(model.Graph, Path.GetFileNameWithoutExtension(path), outputName);
    }

    /// <summary>Imports an already parsed ONNX graph.</summary>
    public static LayerGraph Build(GraphProto graph, string name, string? outputName = null)
    {
        var constants = graph.Initializer.ToDictionary(t => t.Name);
        foreach (var node in graph.Node.Where(n => n.OpType == "Constant"))
            constants[node.Output[0]] = node.Attribute.First(a => a.Name == "value").T;
        var input = graph.Input.Select(i => i.Name).First(n => !constants.ContainsKey(n));
        var output = outputName ?? graph.Output[0].Name;

        var steps = new List<(GraphLayer, string[], string)>();
        var names = new HashSet<string>();
        foreach (var (node, index) in graph.Node.Where(n => n.OpType != "Constant").Select((n, i) => (n, i)))
        {
            var layerName = UniqueName(node, index, names);
            var dynamicInputs = node.Input.Where(i => i.Length > 0 && !constants.ContainsKey(i)).ToArray();
            steps.Add((CreateNode(node, layerName, constants), dynamicInputs, node.Output[0]));
            if (node.Output[0] == output) break;
        }
        if (steps.Count == 0 || steps[^1].Item3 != output)
            throw new UnsupportedOnnxException($"ONNX graph '{name}' has no node producing '{output}'.");
        return new LayerGraph(name, input, output, steps);
    }

    private static string UniqueName(NodeProto node, int index, HashSet<string> taken)
    {
        // TorchSharp module names may not contain '.'; keep ONNX names readable otherwise.
        var baseName = string.IsNullOrEmpty(node.Name) ? $"{node.OpType}_{index}" : new string(node.Name.Select(c => char.IsLetterOrDigit(c) || c == '_' ? c : '_').ToArray());
        var name = baseName;
        for (int k = 1; !taken.Add(name); k++) name = $"{baseName}_{k}";
        return name;
    }

    private static GraphLayer CreateNode(NodeProto node, string name, IReadOnlyDictionary<string, TensorProto> constants)
    {
        var a = new OnnxNodeAttributes(node);
        Tensor Const(int i) => i < node.Input.Count && constants.TryGetValue(node.Input[i], out var t)
            ? OnnxTensorReader.ToTensor(t)
            : throw new UnsupportedOnnxException($"node '{node.Name}' ({node.OpType}): input {i} ('{(i < node.Input.Count ? node.Input[i] : "missing")}') must be a constant.");
        Tensor? OptionalConst(int i) => i < node.Input.Count && node.Input[i].Length > 0 ? Const(i) : null;
        bool IsConst(int i) => i < node.Input.Count && constants.ContainsKey(node.Input[i]);

        switch (node.OpType)
        {
            case "Conv":
                RequireNoAutoPad(node, a);
                return new ConvLayer(name, Const(1), OptionalConst(2), a.Ints("strides", [1, 1]), a.Ints("pads", [0, 0, 0, 0]), a.Ints("dilations", [1, 1]), a.Int("group", 1));
            case "BatchNormalization":
                return new BatchNormLayer(name, Const(1), Const(2), Const(3), Const(4), a.Float("epsilon", 1e-5f), a.Float("momentum", 0.9f));
            case "Relu": return ActivationLayer.Relu(name);
            case "Sigmoid": return ActivationLayer.Sigmoid(name);
            case "LeakyRelu": return ActivationLayer.LeakyRelu(name, a.Float("alpha", 0.01f));
            case "Identity" or "Dropout": return ActivationLayer.Identity(name, node.OpType);
            case "Clip":
                // Opset < 11 keeps min/max as attributes, later opsets as optional constant inputs.
                var min = IsConst(1) ? Const(1).item<float>() : a.Float("min", float.MinValue);
                var max = IsConst(2) ? Const(2).item<float>() : a.Float("max", float.MaxValue);
                return ActivationLayer.Clip(name, min, max);
            case "MaxPool" or "AveragePool":
                RequireNoAutoPad(node, a);
                var kernel = a.Ints("kernel_shape", []);
                return new PoolLayer(name, node.OpType == "MaxPool", kernel, a.Ints("strides", [1, 1]), a.Ints("pads", [0, 0, 0, 0]),
                    a.Int("count_include_pad", 0) != 0, a.Int("ceil_mode", 0) != 0);
            case "GlobalAveragePool": return new GlobalPoolLayer(name, max: false);
            case "GlobalMaxPool": return new GlobalPoolLayer(name, max: true);
            case "Add" or "Sub" or "Mul" or "Div":
                return IsConst(0) ? new BinaryLayer(name, node.OpType, Const(0), constantFirst: true)
                     : IsConst(1) ? new BinaryLayer(name, node.OpType, Const(1), constantFirst: false)
                     : new BinaryLayer(name, node.OpType, null, false);
            case "Concat": return ShapeLayer.Concat(name, a.Int("axis", 1));
            case "Flatten": return ShapeLayer.Flatten(name, a.Int("axis", 1));
            case "Reshape":
                return ShapeLayer.Reshape(name, IsConst(1) ? OnnxTensorReader.ToLongs(constants[node.Input[1]]) : a.Ints("shape", []));
            case "Pad":
                var pads = IsConst(1) ? OnnxTensorReader.ToLongs(constants[node.Input[1]]) : a.Ints("pads", []);
                var value = IsConst(2) ? Const(2).item<float>() : a.Float("value", 0f);
                return ShapeLayer.Pad(name, pads, a.String("mode", "constant"), value);
            case "Gemm":
                return new GemmLayer(name, Const(1), OptionalConst(2), a.Float("alpha", 1f), a.Float("beta", 1f), a.Int("transA", 0) != 0, a.Int("transB", 0) != 0);
            default:
                throw new UnsupportedOnnxException($"node '{node.Name}': ONNX operator '{node.OpType}' is not supported. " +
                    "Supported: Conv, BatchNormalization, Relu, Clip, LeakyRelu, Sigmoid, Add, Sub, Mul, Div, MaxPool, AveragePool, " +
                    "GlobalAveragePool, GlobalMaxPool, Concat, Flatten, Gemm, Pad, Reshape, Identity, Dropout.");
        }
    }

    private static void RequireNoAutoPad(NodeProto node, OnnxNodeAttributes a)
    {
        var autoPad = a.String("auto_pad", "NOTSET");
        if (autoPad is not ("NOTSET" or "VALID" or ""))
            throw new UnsupportedOnnxException($"node '{node.Name}' ({node.OpType}): auto_pad '{autoPad}' is not supported; export with explicit pads.");
    }
}
