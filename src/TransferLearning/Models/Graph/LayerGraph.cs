using TorchSharp;
using static TorchSharp.torch;

namespace TransferLearning.Models.Graph;

/// <summary>
/// A layer graph (an imported ONNX graph, or a Keras application built by <see cref="Keras.KerasGraphBuilder"/>) as one
/// trainable TorchSharp module. Each layer is a child module registered under its name in forward order, so its
/// parameters are keyed <c>layer_name.weight</c> and <see cref="Layers"/> counts layers the way Keras' <c>model.layers</c> does.
/// </summary>
public sealed class LayerGraph : nn.Module<Tensor, Tensor>, ISplittableModule
{
    private readonly List<(GraphLayer Node, string[] Inputs, string Output)> _steps;
    private readonly string _input, _output;
    private readonly Dictionary<string, int> _lastUse = new();
    private readonly HashSet<string> _inputOnly;

    /// <summary>A graph reading value <paramref name="input"/>, running <paramref name="steps"/> in order, returning value <paramref name="output"/>.</summary>
    internal LayerGraph(string name, string input, string output, List<(GraphLayer Node, string[] Inputs, string Output)> steps) : base(name)
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
    public IReadOnlyList<GraphLayer> Layers => _steps.Select(s => s.Node).ToList();

    /// <summary>Each layer with the names of the values it reads, in forward order.</summary>
    public IReadOnlyList<(GraphLayer Layer, string[] Inputs)> Steps => _steps.Select(s => (s.Node, s.Inputs)).ToList();

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

    /// <summary>
    /// Writes every layer, with its current weights, reading <paramref name="input"/> of shape <paramref name="inputShape"/>;
    /// returns the name of the graph's output. One forward pass on zeros gives each layer its input shapes, which
    /// layers whose padding depends on the input size (TensorFlow's "same") need to be written as fixed ONNX pads.
    /// </summary>
    public string Export(Export.OnnxGraphWriter writer, string input, long[] inputShape)
    {
        var names = new Dictionary<string, string> { [_input] = input };
        var shapes = new Dictionary<string, long[]> { [_input] = inputShape };
        // In eval mode, so that the probe leaves BatchNorm statistics alone; each layer's own mode is restored after.
        var (graphMode, modes) = (training, _steps.Select(s => s.Node.training).ToList());
        eval();
        using (no_grad())
        using (NewDisposeScope())
        {
            var values = new Dictionary<string, Tensor> { [_input] = zeros(inputShape) };
            foreach (var (node, inputs, output) in _steps)
            {
                values[output] = node.call(inputs.Select(i => values[i]).ToArray());
                shapes[output] = values[output].shape;
            }
        }
        train(graphMode);
        for (int i = 0; i < _steps.Count; i++) _steps[i].Node.train(modes[i]);
        foreach (var (node, inputs, output) in _steps)
        {
            names[output] = writer.Unique(output);
            node.Export(writer, inputs.Select(i => names[i]).ToArray(), names[output], inputs.Select(i => shapes[i]).ToArray());
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
