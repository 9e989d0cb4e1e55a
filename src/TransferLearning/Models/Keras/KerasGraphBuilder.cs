using TransferLearning.Models.Graph;
using TransferLearning.Models.Graph.Layers;
using static TorchSharp.torch;

namespace TransferLearning.Models.Keras;

/// <summary>
/// Builds a <see cref="LayerGraph"/> the way Keras' functional API builds a model, so that an architecture reads like
/// its Keras source: <c>x = b.Conv2D(x, 32, 3, strides: 2, padding: "same", useBias: false, name: "Conv1")</c>. Every
/// call adds one layer named as Keras names it (given names, or Keras' automatic <c>conv2d_3</c>-style names) and
/// returns its output. Layers start with Keras' initialisation (Glorot-uniform kernels unless <see cref="ConvKernelInitializer"/> says
/// otherwise, zero biases, BatchNorm identity); pretrained weights are loaded afterwards by <see cref="KerasWeightLoader"/>. Tensors are channels-first.
/// </summary>
public sealed class KerasGraphBuilder
{
    private const string GraphInput = "input";
    private readonly List<(GraphLayer Layer, string[] Inputs, string Output)> _steps = [];
    private readonly Dictionary<string, long> _channels = new() { [GraphInput] = 3 };
    private readonly Dictionary<string, int> _autoNames = [];
    private readonly HashSet<string> _names = [];

    /// <summary>Starts a graph whose first layer is Keras' <c>InputLayer</c> named <paramref name="inputName"/>.</summary>
    public KerasGraphBuilder(string inputName = "input_layer")
    {
        Input = Add(ActivationLayer.Identity(Claim(inputName), "Identity"), [GraphInput], 3);
    }

    /// <summary>The input layer's output (RGB, channels-first, already preprocessed).</summary>
    public string Input { get; }

    /// <summary>Number of layers so far (Keras' <c>len(model.layers)</c>).</summary>
    public int LayerCount => _steps.Count;

    /// <summary>How new Conv2D and DepthwiseConv2D kernels are drawn: Keras' default Glorot-uniform unless the architecture's source names another (EfficientNet).</summary>
    public KerasInitializers.Initializer ConvKernelInitializer { get; set; } = KerasInitializers.GlorotUniform;

    /// <summary>Channels of a value (the last axis in Keras).</summary>
    public long Channels(string x) => _channels[x];

    /// <summary>
    /// Keras <c>Conv2D</c>. An <paramref name="activation"/> other than linear is fused into the same layer, as Keras does
    /// (EfficientNet's squeeze-and-excitation convolutions), so the layer count stays Keras'.
    /// </summary>
    public string Conv2D(string x, long filters, (long H, long W) kernel, long strides = 1, string padding = "valid", bool useBias = true,
        string? name = null, long dilation = 1, string activation = "linear")
    {
        long inChannels = Channels(x);
        var weight = ConvKernelInitializer([filters, inChannels, kernel.H, kernel.W], kernel.H * kernel.W * inChannels, kernel.H * kernel.W * filters);
        var layerName = Claim(name, "conv2d");
        var fused = activation == "linear" ? null : ActivationLayer.Keras($"{layerName}_{activation}", activation);
        var layer = new ConvLayer(layerName, weight, useBias ? zeros(filters) : null, [strides, strides], Pads(padding), [dilation, dilation], 1, fused);
        return Add(layer, [x], filters);
    }

    /// <summary>Keras <c>Conv2D</c> with a square kernel.</summary>
    public string Conv2D(string x, long filters, long kernel, long strides = 1, string padding = "valid", bool useBias = true, string? name = null,
        string activation = "linear") =>
        Conv2D(x, filters, (kernel, kernel), strides, padding, useBias, name, activation: activation);

    /// <summary>Keras <c>DepthwiseConv2D</c> (depth multiplier 1).</summary>
    public string DepthwiseConv2D(string x, long kernel, long strides = 1, string padding = "valid", bool useBias = true, string? name = null)
    {
        long channels = Channels(x);
        var weight = ConvKernelInitializer([channels, 1, kernel, kernel], kernel * kernel * channels, kernel * kernel);
        var layer = new ConvLayer(Claim(name, "depthwise_conv2d"), weight, useBias ? zeros(channels) : null, [strides, strides], Pads(padding),
            [1, 1], channels);
        return Add(layer, [x], channels);
    }

    /// <summary>Keras <c>BatchNormalization</c> on the channel axis (Keras defaults: epsilon 1e-3, momentum 0.99).</summary>
    public string BatchNormalization(string x, double epsilon = 1e-3, double momentum = 0.99, bool scale = true, string? name = null)
    {
        long c = Channels(x);
        return Add(new BatchNormLayer(Claim(name, "batch_normalization"), scale ? ones(c) : null, zeros(c), zeros(c), ones(c), epsilon, momentum), [x], c);
    }

    /// <summary>Keras <c>ReLU</c> layer; <paramref name="maxValue"/> 6 is ReLU6.</summary>
    public string ReLU(string x, float? maxValue = null, string? name = null) =>
        Add(maxValue is { } max ? ActivationLayer.Clip(Claim(name, "re_lu"), 0, max) : ActivationLayer.Relu(Claim(name, "re_lu")), [x], Channels(x));

    /// <summary>Keras <c>Activation</c>: <c>relu</c>, <c>relu6</c>, <c>swish</c>, <c>sigmoid</c>, <c>softmax</c> or <c>linear</c>.</summary>
    public string Activation(string x, string activation, string? name = null) =>
        Add(ActivationLayer.Keras(Claim(name, "activation"), activation), [x], Channels(x));

    /// <summary>Keras <c>ZeroPadding2D(((top, bottom), (left, right)))</c>.</summary>
    public string ZeroPadding2D(string x, ((long Top, long Bottom) Rows, (long Left, long Right) Columns) padding, string? name = null) =>
        Add(ShapeLayer.Pad(Claim(name, "zero_padding2d"), [0, 0, padding.Rows.Top, padding.Columns.Left, 0, 0, padding.Rows.Bottom, padding.Columns.Right],
            "constant", 0f), [x], Channels(x));

    /// <summary>Keras <c>ZeroPadding2D(n)</c>: <paramref name="pad"/> on every side.</summary>
    public string ZeroPadding2D(string x, long pad, string? name = null) => ZeroPadding2D(x, ((pad, pad), (pad, pad)), name);

    /// <summary>
    /// Keras <c>ZeroPadding2D(imagenet_utils.correct_pad(x, kernel))</c> before a stride-2 convolution, computed from the
    /// size <paramref name="x"/> actually has, as Keras does for a model built with a known input shape: (k/2 - 1, k/2)
    /// for an even size, (k/2, k/2) for an odd one (TensorFlow's "same" for stride 2).
    /// </summary>
    public string CorrectPad(string x, long kernel, string? name = null) =>
        Add(new CorrectPadLayer(Claim(name, "zero_padding2d"), kernel), [x], Channels(x));

    /// <summary>Keras <c>MaxPooling2D</c>.</summary>
    public string MaxPooling2D(string x, long pool, long strides, string padding = "valid", string? name = null) =>
        Add(new PoolLayer(Claim(name, "max_pooling2d"), true, [pool, pool], [strides, strides], Pads(padding), false, false), [x], Channels(x));

    /// <summary>Keras <c>AveragePooling2D</c> (padding never counts in the average, as in TensorFlow).</summary>
    public string AveragePooling2D(string x, long pool, long strides, string padding = "valid", string? name = null) =>
        Add(new PoolLayer(Claim(name, "average_pooling2d"), false, [pool, pool], [strides, strides], Pads(padding), false, false), [x], Channels(x));

    /// <summary>Keras <c>GlobalAveragePooling2D</c>: <c>[N, C]</c>, or <c>[N, C, 1, 1]</c> with <paramref name="keepDims"/>.</summary>
    public string GlobalAveragePooling2D(string x, bool keepDims = false, string? name = null) =>
        Add(new GlobalPoolLayer(Claim(name, "global_average_pooling2d"), max: false, keepDims), [x], Channels(x));

    /// <summary>Keras <c>GlobalMaxPooling2D</c>.</summary>
    public string GlobalMaxPooling2D(string x, bool keepDims = false, string? name = null) =>
        Add(new GlobalPoolLayer(Claim(name, "global_max_pooling2d"), max: true, keepDims), [x], Channels(x));

    /// <summary>Keras <c>Add</c> of two tensors.</summary>
    public string Add(string a, string b, string? name = null) => Add(new BinaryLayer(Claim(name, "add"), "Add", null, false), [a, b], Channels(a));

    /// <summary>Keras <c>Multiply</c> of two tensors (broadcasting, e.g. a feature map by per-channel gates).</summary>
    public string Multiply(string a, string b, string? name = null) =>
        Add(new BinaryLayer(Claim(name, "multiply"), "Mul", null, false), [a, b], Math.Max(Channels(a), Channels(b)));

    /// <summary>Keras <c>Concatenate</c> on the channel axis.</summary>
    public string Concatenate(IReadOnlyList<string> xs, string? name = null) =>
        Add(ShapeLayer.Concat(Claim(name, "concatenate"), 1), [.. xs], xs.Sum(Channels));

    /// <summary>
    /// Keras <c>Dense</c> on <c>[N, in]</c>. An activation other than linear is added as its own layer
    /// (<c>name_activation</c>): Keras fuses it into Dense, which only changes the layer count of a classifier top.
    /// </summary>
    public string Dense(string x, long units, string activation = "linear", string? name = null)
    {
        long inputs = Channels(x);
        var layer = new GemmLayer(Claim(name, "dense"), KerasInitializers.GlorotUniform([units, inputs], inputs, units), zeros(units), 1, 1, false, transB: true);
        var output = Add(layer, [x], units);
        return activation == "linear" ? output : Activation(output, activation, layer.GetName() + "_activation");
    }

    /// <summary>Keras <c>Dropout</c>; <paramref name="perSample"/> is <c>noise_shape=(None, 1, 1, 1)</c>.</summary>
    public string Dropout(string x, double rate, bool perSample = false, string? name = null) =>
        Add(new DropoutLayer(Claim(name, "dropout"), rate, perSample), [x], Channels(x));

    /// <summary>
    /// Keras <c>Flatten</c> (channels-last order, so a Dense after it reads Keras' kernel as is). The builder does not track
    /// spatial sizes: give the map's <paramref name="spatial"/> size when a Dense follows, so that it knows its inputs.
    /// </summary>
    public string Flatten(string x, string? name = null, (long Height, long Width)? spatial = null) =>
        Add(ShapeLayer.ChannelsLastFlatten(Claim(name, "flatten")), [x], spatial is { } s ? Channels(x) * s.Height * s.Width : -1);

    /// <summary>Keras <c>Reshape((1, 1, C))</c>: a vector <c>[N, C]</c> to a 1x1 map.</summary>
    public string ReshapeToMap(string x, string? name = null) => Add(ShapeLayer.Reshape(Claim(name, "reshape"), [0, -1, 1, 1]), [x], Channels(x));

    /// <summary>Keras <c>Reshape((C,))</c>: a 1x1 map <c>[N, C, 1, 1]</c> to a vector.</summary>
    public string ReshapeToVector(string x, string? name = null) => Add(ShapeLayer.Reshape(Claim(name, "reshape"), [0, -1]), [x], Channels(x));

    /// <summary>Keras <c>Rescaling(scale, offset)</c>, one scale per channel or one for all.</summary>
    public string Rescaling(string x, float[] scale, float offset = 0, string? name = null) =>
        Add(ScaleShiftLayer.Rescaling(Claim(name, "rescaling"), scale, offset), [x], Channels(x));

    /// <summary>Keras <c>Normalization(axis=-1)</c> (its mean and variance come with the weights).</summary>
    public string Normalization(string x, string? name = null) =>
        Add(ScaleShiftLayer.Normalization(Claim(name, "normalization"), (int)Channels(x)), [x], Channels(x));

    /// <summary>
    /// The graph from the input to <paramref name="output"/>, its layers in the order of Keras' <c>model.layers</c> (see
    /// <see cref="KerasOrder"/>): the order Keras matches a legacy <c>.h5</c> file's layers by, and counts layers to unfreeze in.
    /// </summary>
    public LayerGraph Build(string name, string output) => new(name, GraphInput, output, KerasOrder(output));

    /// <summary>
    /// The steps as a Keras functional model lists its layers (<c>map_graph</c> in <c>keras/src/ops/function.py</c>): by
    /// decreasing depth, the longest path to the output, ties broken by the order a depth-first walk from the output through
    /// each layer's inputs (in order) first reaches them. For a chain this is the call order; where branches differ in
    /// length (Inception's mixed blocks, ResNet's shortcuts) it is not. Layers the output does not depend on are left out, as in Keras.
    /// </summary>
    private List<(GraphLayer Layer, string[] Inputs, string Output)> KerasOrder(string output)
    {
        var producer = new Dictionary<string, int>();
        for (int i = 0; i < _steps.Count; i++) producer[_steps[i].Output] = i;
        IEnumerable<int> Parents(int step) => _steps[step].Inputs.Where(producer.ContainsKey).Select(v => producer[v]);

        // Depth-first walk from the output: visit index on first reach, and the post-order (inputs before consumers).
        var visitIndex = new Dictionary<int, int>();
        var postOrder = new List<int>();
        var stack = new Stack<(int Step, IEnumerator<int> Parents)>();
        void Visit(int step)
        {
            visitIndex[step] = visitIndex.Count;
            stack.Push((step, Parents(step).GetEnumerator()));
        }
        Visit(producer[output]);
        while (stack.Count > 0)
        {
            var (step, parents) = stack.Peek();
            if (parents.MoveNext())
            {
                if (!visitIndex.ContainsKey(parents.Current)) Visit(parents.Current);
            }
            else
            {
                stack.Pop();
                postOrder.Add(step);
            }
        }

        // Consumers come before their inputs in the reversed post-order, so each depth is final when it is read.
        var depth = postOrder.ToDictionary(s => s, _ => 0);
        for (int i = postOrder.Count - 1; i >= 0; i--)
            foreach (var parent in Parents(postOrder[i]))
                depth[parent] = Math.Max(depth[parent], depth[postOrder[i]] + 1);
        return [.. postOrder.OrderByDescending(s => depth[s]).ThenBy(s => visitIndex[s]).Select(s => _steps[s])];
    }

    private string Add(GraphLayer layer, string[] inputs, long channels)
    {
        var output = layer.GetName();
        _steps.Add((layer, inputs, output));
        _channels[output] = channels;
        return output;
    }

    /// <summary>Takes <paramref name="name"/>, or makes Keras' next automatic name for <paramref name="autoBase"/> (<c>conv2d</c>, <c>conv2d_1</c>, ...).</summary>
    private string Claim(string? name, string autoBase = "layer")
    {
        if (name is null)
        {
            do
            {
                int n = _autoNames.GetValueOrDefault(autoBase);
                _autoNames[autoBase] = n + 1;
                name = n == 0 ? autoBase : $"{autoBase}_{n}";
            } while (_names.Contains(name));
        }
        if (!_names.Add(name)) throw new ArgumentException($"layer name '{name}' is used twice", nameof(name));
        return name;
    }

    private static long[]? Pads(string padding) => padding switch
    {
        "same" => null,
        "valid" => [0, 0, 0, 0],
        _ => throw new ArgumentException($"padding must be \"same\" or \"valid\", not \"{padding}\"", nameof(padding)),
    };
}
