using TorchSharp;
using static TorchSharp.torch;

namespace TransferLearning.Models.Onnx;

/// <summary>
/// An imported ONNX graph as one trainable TorchSharp module. Each ONNX node is a child module (a
/// "layer"), registered under its node name in forward order, so its parameters are keyed
/// <c>NodeName.weight</c> and <see cref="Layers"/> counts layers the way Keras' <c>model.layers</c> does.
/// </summary>
public sealed class OnnxGraphModule : nn.Module<Tensor, Tensor>
{
    private readonly List<(OnnxNode Node, string[] Inputs, string Output)> _steps;
    private readonly string _input, _output;
    private readonly Dictionary<string, int> _lastUse;

    internal OnnxGraphModule(string name, string input, string output, List<(OnnxNode Node, string[] Inputs, string Output)> steps) : base(name)
    {
        _input = input;
        _output = output;
        _steps = steps;
        foreach (var step in steps) register_module(step.Node.GetName(), step.Node);
        // Free each intermediate as soon as its last consumer has run, so peak memory stays near one activation.
        _lastUse = new Dictionary<string, int>();
        for (int i = 0; i < steps.Count; i++)
            foreach (var input2 in steps[i].Inputs) _lastUse[input2] = i;
    }

    /// <summary>The graph's nodes in forward order: what Keras would list as <c>model.layers</c>.</summary>
    public IReadOnlyList<OnnxNode> Layers => _steps.Select(s => s.Node).ToList();

    /// <summary>The ONNX value this module returns.</summary>
    public string OutputName => _output;

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        var values = new Dictionary<string, Tensor> { [_input] = input };
        try
        {
            for (int i = 0; i < _steps.Count; i++)
            {
                var (node, inputs, output) = _steps[i];
                values[output] = node.call(inputs.Select(n => values[n]).ToArray());
                foreach (var name in inputs)
                    if (_lastUse[name] == i && name != _input && name != _output && values.Remove(name, out var done)) done.Dispose();
            }
            var result = values[_output];
            values.Remove(_output);
            return result;
        }
        finally
        {
            foreach (var (name, t) in values) if (name != _input) t.Dispose();
        }
    }
}
