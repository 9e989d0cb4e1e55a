using TransferLearning.Models.Graph;
using System.Text.Json;
using Google.Protobuf;
using Onnx;
using TorchSharp.Modules;
using TransferLearning.Models;
using TransferLearning.Models.Onnx;
using TransferLearning.Reporting;

namespace TransferLearning.Export;

/// <summary>
/// Writes a trained <see cref="TransferModel"/> as one ONNX file (opset 13): input <c>rgb</c> <c>[batch, 3, H, W]</c>
/// float RGB 0..255 (the preprocessing is inside the graph), output <c>probabilities</c> <c>[batch, classes]</c>.
/// Class names, input size and preprocessing are in the model's metadata. Runs in ONNX Runtime or ML.NET alone.
/// </summary>
public static class OnnxExport
{
    /// <summary>The exported file's name inside a model folder.</summary>
    public const string FileName = "model.onnx";

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> (atomically).</summary>
    /// <exception cref="NotSupportedException">The backbone is not a layer graph (ONNX import or Keras application).</exception>
    public static void Write(TransferModel model, SavedModelInfo info, string path)
    {
        var graph = model.Backbone.Splittable as LayerGraph
            ?? throw new NotSupportedException($"ONNX export needs a layer-graph backbone; {info.Architecture} is not one.");
        var writer = new OnnxGraphWriter();
        const string input = "rgb";
        writer.Unique(input);
        var x = model.Backbone.Preprocessing.Export(writer, input, info.ImageHeight, info.ImageWidth);
        x = graph.Export(writer, x, [1, 3, info.ImageHeight, info.ImageWidth]);
        x = writer.Node(model.Pooling == GlobalPooling.Max ? "GlobalMaxPool" : "GlobalAveragePool", [x], name: "global_pool");
        x = writer.Node("Flatten", [x], name: "flatten", attributes: ("axis", 1L));
        foreach (var (name, layer) in model.Head.named_modules().Where(m => m.name.StartsWith("layers.", StringComparison.Ordinal)))
            x = ExportHeadLayer(writer, name["layers.".Length..], layer, x);
        writer.Node("Softmax", [x], "probabilities", "softmax", ("axis", 1L));

        writer.Graph.Input.Add(Value(input, new object[] { "batch", 3L, (long)info.ImageHeight, (long)info.ImageWidth }));
        writer.Graph.Output.Add(Value("probabilities", new object[] { "batch", (long)info.ClassNames.Count }));
        var proto = new ModelProto { IrVersion = 8, ProducerName = "TransferLearning", ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString(3) ?? "", Graph = writer.Graph };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        proto.MetadataProps.Add(new StringStringEntryProto { Key = "class_names", Value = JsonSerializer.Serialize(info.ClassNames) });
        proto.MetadataProps.Add(new StringStringEntryProto { Key = "input", Value = $"RGB, float 0..255, {info.ImageHeight}x{info.ImageWidth}, NCHW; preprocessing ({info.Preprocessing}) is inside the graph" });
        AtomicFile.Write(path, temp =>
        {
            using var file = File.Create(temp);
            proto.WriteTo(file);
        });
    }

    private static string ExportHeadLayer(OnnxGraphWriter w, string name, TorchSharp.torch.nn.Module layer, string x) => layer switch
    {
        Linear linear => w.Node("Gemm", linear.bias is null ? [x, w.Initializer(name + "_W", linear.weight!)]
            : [x, w.Initializer(name + "_W", linear.weight!), w.Initializer(name + "_B", linear.bias)], name: name, attributes: ("transB", 1L)),
        ReLU => w.Node("Relu", [x], name: name),
        Tanh => w.Node("Tanh", [x], name: name),
        Sigmoid => w.Node("Sigmoid", [x], name: name),
        ELU => w.Node("Elu", [x], name: name),
        SELU => w.Node("Selu", [x], name: name),
        SiLU => w.Node("Mul", [x, w.Node("Sigmoid", [x], name: name + "_sigmoid")], name: name),
        // GELU (exact): x * 0.5 * (1 + erf(x / sqrt 2)); opset 13 has no Gelu operator.
        GELU => w.Node("Mul", [x, w.Node("Mul", [w.Node("Add", [w.Node("Erf", [w.Node("Div", [x, w.Scalar(name + "_sqrt2", MathF.Sqrt(2))], name: name + "_div")], name: name + "_erf"),
            w.Scalar(name + "_one", 1f)], name: name + "_add"), w.Scalar(name + "_half", 0.5f)], name: name + "_half_mul")], name: name),
        Dropout or Identity => x, // inference: dropout does nothing
        _ => throw new NotSupportedException($"head layer {name} ({layer.GetType().Name}) cannot be exported to ONNX"),
    };

    private static ValueInfoProto Value(string name, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d is string s ? new TensorShapeProto.Types.Dimension { DimParam = s } : new TensorShapeProto.Types.Dimension { DimValue = (long)d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape } } };
    }
}
