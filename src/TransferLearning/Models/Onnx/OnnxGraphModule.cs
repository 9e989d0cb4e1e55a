using TorchSharp;
using static TorchSharp.torch;

namespace TransferLearning.Models.Onnx;

/// <summary>
/// An imported ONNX graph as one trainable TorchSharp module. Each ONNX node is a child module (a
/// "layer"), registered under its node name in forward order, so its parameters are keyed
/// <c>NodeName.weight</c> and <see cref="Layers"/> counts layers the way Keras' <c>model.layers</c> does.
/// </summary>
public sealed class OnnxGraphModule : nn.Module<Tensor, Tensor>, ISplittableModule
{
    private readonly List<(OnnxNode Node, string[] Inputs, string Output)> _steps;
    private readonly string _input, _output;
    private readonly Dictionary<string, int> _lastUse = new();
    private readonly HashSet<string> _inputOnly;

    internal OnnxGraphModule(string name, string input, string output, List<(OnnxNode Node, string[] Inputs, string Output)> steps) : base(name)
    {
        _input = input;
        _output = output;
        _steps = steps;
        _inputOnly = [input];
        foreach (var step in steps) register_module(step.Node.GetName(), step.Node);
        // Each value is freed right after its last consumer runs, so peak memory stays near one activation.
        for (int i = 0; i < steps.Count; i++)
            foreach (var value in steps[i].Inputs) _lastUse[value] = i;
        _lastUse[output] = steps.Count;
    }

    /// <summary>The graph's nodes in forward order: what Keras would list as <c>model.layers</c>.</summary>
    public IReadOnlyList<OnnxNode> Layers => _steps.Select(s => s.Node).ToList();

    /// <inheritdoc/>
    public int LayerCount => _steps.Count;

    /// <summary>The ONNX value this module returns.</summary>
    public string OutputName => _output;

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        var values = new Dictionary<string, Tensor> { [_input] = input };
        Run(values, 0, _steps.Count, borrowed: _inputOnly);
        return Take(values, _output, borrowed: _inputOnly);
    }

    /// <inheritdoc/>
    public BoundaryActivations ForwardPrefix(Tensor input, int boundary)
    {
        CheckBoundary(boundary);
        var values = new Dictionary<string, Tensor> { [_input] = input };
        Run(values, 0, boundary, borrowed: _inputOnly);
        var crossing = values.Keys.Where(k => _lastUse.GetValueOrDefault(k, -1) >= boundary).ToList();
        return new BoundaryActivations(crossing.ToDictionary(k => k, k => Take(values, k, borrowed: _inputOnly)));
    }

    /// <inheritdoc/>
    public Tensor ForwardSuffix(BoundaryActivations activations, int boundary)
    {
        CheckBoundary(boundary);
        var values = new Dictionary<string, Tensor>(activations.Values);
        var borrowed = activations.Values.Keys.ToHashSet();
        Run(values, boundary, _steps.Count, borrowed);
        return Take(values, _output, borrowed);
    }

    /// <summary>Writes every layer, with its current weights, reading <paramref name="input"/>; returns the name of the graph's output.</summary>
    public string Export(Export.OnnxGraphWriter writer, string input)
    {
        var names = new Dictionary<string, string> { [_input] = input };
        foreach (var (node, inputs, output) in _steps)
        {
            names[output] = writer.Unique(output);
            node.Export(writer, inputs.Select(i => names[i]).ToArray(), names[output]);
        }
        return names[_output];
    }

    private void Run(Dictionary<string, Tensor> values, int from, int to, IReadOnlySet<string> borrowed)
    {
        for (int i = from; i < to; i++)
        {
            var (node, inputs, output) = _steps[i];
            values[output] = node.call(inputs.Select(n => values.TryGetValue(n, out var v) ? v
                : throw new InvalidOperationException($"value '{n}' needed by layer '{node.GetName()}' is not available at this cut")).ToArray());
            foreach (var name in inputs)
                if (_lastUse[name] == i && !borrowed.Contains(name) && values.Remove(name, out var done)) done.Dispose();
        }
    }

    /// <summary>Removes a value from the working set; a borrowed one (owned by the caller) comes back as a fresh alias.</summary>
    private static Tensor Take(Dictionary<string, Tensor> values, string name, IReadOnlySet<string> borrowed)
    {
        var value = values[name];
        values.Remove(name);
        return borrowed.Contains(name) ? value.alias() : value;
    }

    private void CheckBoundary(int boundary)
    {
        if (boundary < 0 || boundary > _steps.Count)
            throw new ArgumentOutOfRangeException(nameof(boundary), $"cut {boundary} is outside 0..{_steps.Count}");
    }
}
