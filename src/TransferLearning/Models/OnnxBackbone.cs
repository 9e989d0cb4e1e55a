using TransferLearning.Models.Onnx;
using static TorchSharp.torch;

namespace TransferLearning.Models;

/// <summary>A CNN backbone from any ONNX file (<c>model.weights</c> pointing at a <c>.onnx</c>): its whole graph, ending at a feature map.</summary>
public static class OnnxBackbone
{
    /// <summary>Imports <paramref name="path"/>; <paramref name="preprocessing"/> is what its weights expect.</summary>
    /// <exception cref="InvalidDataException">The file is not ONNX, uses unsupported operators, or does not end at a <c>[N, C, h, w]</c> feature map.</exception>
    public static Backbone Load(string path, string name, Preprocessing.Preprocessing preprocessing)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: ONNX backbone file not found (model.weights).", path);
        Graph.LayerGraph graph;
        try
        {
            graph = OnnxImporter.Load(path);
        }
        catch (UnsupportedOnnxException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}");
        }
        long[] shape;
        graph.eval(); // the probe must not move BatchNorm statistics
        using (no_grad())
        using (var probe = zeros(1, 3, 224, 224))
        using (var output = graph.call(probe))
            shape = output.shape;
        graph.train();
        if (shape.Length != 4)
            throw new InvalidDataException($"{path}: the graph's output has shape [{string.Join(", ", shape)}]; a backbone must end at a feature map [N, C, h, w] (cut it before its pooling and classifier).");
        return new Backbone(name, graph, graph.Layers, preprocessing, (int)shape[1]);
    }
}
