using static TorchSharp.torch;

namespace TransferLearning.Models.Graph.Layers;

/// <summary>ONNX <c>Add</c>, <c>Sub</c>, <c>Mul</c>, <c>Div</c> with numpy broadcasting; a constant operand is held as a buffer.</summary>
public sealed class BinaryLayer : GraphLayer
{
    private readonly Tensor? constant;
    private readonly bool _constantFirst;

    internal BinaryLayer(string name, string opType, Tensor? constantOperand, bool constantFirst) : base(name, opType)
    {
        constant = constantOperand;
        _constantFirst = constantFirst;
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override void Export(Export.OnnxGraphWriter writer, string[] inputs, string output, long[][] inputShapes)
    {
        string[] args = constant is null ? inputs
            : _constantFirst ? [writer.Initializer(GetName() + "_const", constant), inputs[0]] : [inputs[0], writer.Initializer(GetName() + "_const", constant)];
        writer.Node(OpType, args, output, GetName());
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor[] inputs)
    {
        var (a, b) = constant is null ? (inputs[0], inputs[1]) : _constantFirst ? (constant, inputs[0]) : (inputs[0], constant);
        return OpType switch
        {
            "Add" => a + b,
            "Sub" => a - b,
            "Mul" => a * b,
            _ => a / b,
        };
    }
}
