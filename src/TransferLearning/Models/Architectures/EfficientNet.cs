using System.Globalization;
using TransferLearning.Models.Keras;
using TransferLearning.Models.Weights;

namespace TransferLearning.Models.Architectures;

/// <summary>
/// Keras' <c>EfficientNetB0</c> ... <c>EfficientNetB7</c>, layer for layer as <c>keras/src/applications/efficientnet.py</c>,
/// built for the ImageNet weights (so with the extra <c>Rescaling</c> by <c>1/sqrt(stddev)</c> Keras adds for them). The
/// preprocessing is inside the model: the input is RGB 0..255.
/// </summary>
public static class EfficientNet
{
    private const string BaseWeightsPath = "https://storage.googleapis.com/keras-applications/";

    /// <summary>Keras' <c>WEIGHTS_HASHES</c>: md5 of the file with top, then of the one without.</summary>
    private static readonly Dictionary<string, (string Top, string NoTop)> WeightsHashes = new()
    {
        ["b0"] = ("902e53a9f72be733fc0bcb005b3ebbac", "50bc09e76180e00e4465e1a485ddc09d"),
        ["b1"] = ("1d254153d4ab51201f1646940f018540", "74c4e6b3e1f6a1eea24c589628592432"),
        ["b2"] = ("b15cce36ff4dcbd00b6dd88e7857a6ad", "111f8e2ac8aa800a7a99e3239f7bfb39"),
        ["b3"] = ("ffd1fdc53d0ce67064dc6a9c7960ede0", "af6d107764bb5b1abb91932881670226"),
        ["b4"] = ("18c95ad55216b8f92d7e70b3a046e2fc", "ebc24e6d6c33eaebbd558eafbeedf1ba"),
        ["b5"] = ("ace28f2a6363774853a83a0b21b9421a", "38879255a25d3c92d5e44e04ae6cec6f"),
        ["b6"] = ("165f6e37dce68623721b423839de8be5", "9ecce42647a20130c1f39a5d4cb75743"),
        ["b7"] = ("8c03f828fec3ef71311cd463b6759d99", "cbcfe4450ddf6f3ad90b1b398090fe4a"),
    };

    private readonly record struct BlockArgs(int KernelSize, int Repeats, int FiltersIn, int FiltersOut, int ExpandRatio, bool IdSkip, int Strides,
        double SeRatio);

    /// <summary>Keras' <c>DEFAULT_BLOCKS_ARGS</c>: the seven stages of EfficientNet-B0.</summary>
    private static readonly BlockArgs[] DefaultBlocksArgs =
    [
        new(KernelSize: 3, Repeats: 1, FiltersIn: 32, FiltersOut: 16, ExpandRatio: 1, IdSkip: true, Strides: 1, SeRatio: 0.25),
        new(KernelSize: 3, Repeats: 2, FiltersIn: 16, FiltersOut: 24, ExpandRatio: 6, IdSkip: true, Strides: 2, SeRatio: 0.25),
        new(KernelSize: 5, Repeats: 2, FiltersIn: 24, FiltersOut: 40, ExpandRatio: 6, IdSkip: true, Strides: 2, SeRatio: 0.25),
        new(KernelSize: 3, Repeats: 3, FiltersIn: 40, FiltersOut: 80, ExpandRatio: 6, IdSkip: true, Strides: 2, SeRatio: 0.25),
        new(KernelSize: 5, Repeats: 3, FiltersIn: 80, FiltersOut: 112, ExpandRatio: 6, IdSkip: true, Strides: 1, SeRatio: 0.25),
        new(KernelSize: 5, Repeats: 4, FiltersIn: 112, FiltersOut: 192, ExpandRatio: 6, IdSkip: true, Strides: 2, SeRatio: 0.25),
        new(KernelSize: 3, Repeats: 1, FiltersIn: 192, FiltersOut: 320, ExpandRatio: 6, IdSkip: true, Strides: 1, SeRatio: 0.25),
    ];

    /// <summary>Keras' <c>IMAGENET_STDDEV_RGB</c>.</summary>
    private static readonly double[] ImageNetStddevRgb = [0.229, 0.224, 0.225];

    /// <summary>EfficientNet-B0: width 1.0, depth 1.0, 224x224, top dropout 0.2.</summary>
    public static readonly KerasApplication B0 = Variant("b0", 1.0, 1.0, 224, 0.2);

    /// <summary>EfficientNet-B1: width 1.0, depth 1.1, 240x240, top dropout 0.2.</summary>
    public static readonly KerasApplication B1 = Variant("b1", 1.0, 1.1, 240, 0.2);

    /// <summary>EfficientNet-B2: width 1.1, depth 1.2, 260x260, top dropout 0.3.</summary>
    public static readonly KerasApplication B2 = Variant("b2", 1.1, 1.2, 260, 0.3);

    /// <summary>EfficientNet-B3: width 1.2, depth 1.4, 300x300, top dropout 0.3.</summary>
    public static readonly KerasApplication B3 = Variant("b3", 1.2, 1.4, 300, 0.3);

    /// <summary>EfficientNet-B4: width 1.4, depth 1.8, 380x380, top dropout 0.4.</summary>
    public static readonly KerasApplication B4 = Variant("b4", 1.4, 1.8, 380, 0.4);

    /// <summary>EfficientNet-B5: width 1.6, depth 2.2, 456x456, top dropout 0.4.</summary>
    public static readonly KerasApplication B5 = Variant("b5", 1.6, 2.2, 456, 0.4);

    /// <summary>EfficientNet-B6: width 1.8, depth 2.6, 528x528, top dropout 0.5.</summary>
    public static readonly KerasApplication B6 = Variant("b6", 1.8, 2.6, 528, 0.5);

    /// <summary>EfficientNet-B7: width 2.0, depth 3.1, 600x600, top dropout 0.5.</summary>
    public static readonly KerasApplication B7 = Variant("b7", 2.0, 3.1, 600, 0.5);

    /// <summary>The file with the ImageNet classifier for <paramref name="variant"/> (<c>b0</c> ... <c>b7</c>), as Keras names it.</summary>
    public static WeightsFile TopWeights(string variant) => Weights($"efficientnet{variant}.h5", WeightsHashes[variant].Top);

    private static WeightsFile Weights(string fileName, string md5) => new(fileName, BaseWeightsPath + fileName, md5);

    private static KerasApplication Variant(string variant, double widthCoefficient, double depthCoefficient, int defaultSize, double dropoutRate) => new()
    {
        Name = "EfficientNet" + variant.ToUpperInvariant(),
        InputSize = defaultSize,
        PreprocessingMode = "none",
        Define = (b, o) => Define(b, o, widthCoefficient, depthCoefficient, dropoutRate),
        NoTopWeights = alpha => alpha == 1.0 ? Weights($"efficientnet{variant}_notop.h5", WeightsHashes[variant].NoTop) : null,
    };

    private static string Define(KerasGraphBuilder b, KerasApplicationOptions o, double widthCoefficient, double depthCoefficient, double dropoutRate,
        double dropConnectRate = 0.2, int depthDivisor = 8, string activation = "swish")
    {
        long RoundFilters(int filters)
        {
            double scaled = filters * widthCoefficient;
            long newFilters = Math.Max(depthDivisor, (long)(scaled + depthDivisor / 2.0) / depthDivisor * depthDivisor);
            // Make sure that round down does not go down by more than 10%.
            return newFilters < 0.9 * scaled ? newFilters + depthDivisor : newFilters;
        }
        int RoundRepeats(int repeats) => (int)Math.Ceiling(depthCoefficient * repeats);

        // Model-internal preprocessing; the second Rescaling is what Keras adds for the ImageNet weights (their
        // normalisation divides by the variance, Keras' Normalization by its square root).
        b.ConvKernelInitializer = KerasInitializers.VarianceScalingFanOut(2.0); // Keras' CONV_KERNEL_INITIALIZER, for weights "none"
        var x = b.Rescaling(b.Input, [(float)(1.0 / 255.0)]);
        x = b.Normalization(x);
        x = b.Rescaling(x, [.. ImageNetStddevRgb.Select(stddev => (float)(1.0 / Math.Sqrt(stddev)))]);

        x = b.CorrectPad(x, 3, name: "stem_conv_pad");
        x = b.Conv2D(x, RoundFilters(32), 3, strides: 2, padding: "valid", useBias: false, name: "stem_conv");
        x = b.BatchNormalization(x, name: "stem_bn");
        x = b.Activation(x, activation, name: "stem_activation");

        int blockIndex = 0;
        double blocks = DefaultBlocksArgs.Sum(args => RoundRepeats(args.Repeats));
        for (int i = 0; i < DefaultBlocksArgs.Length; i++)
        {
            var args = DefaultBlocksArgs[i];
            int filtersIn = (int)RoundFilters(args.FiltersIn), filtersOut = (int)RoundFilters(args.FiltersOut), strides = args.Strides;
            for (int j = 0; j < RoundRepeats(args.Repeats); j++)
            {
                // The first block of a stage takes care of the stride and the filter increase.
                if (j > 0) (strides, filtersIn) = (1, filtersOut);
                var name = $"block{(i + 1).ToString(CultureInfo.InvariantCulture)}{(char)('a' + j)}_";
                x = Block(b, x, activation, dropConnectRate * blockIndex / blocks, name, filtersIn, filtersOut, args.KernelSize, strides,
                    args.ExpandRatio, args.SeRatio, args.IdSkip);
                blockIndex++;
            }
        }

        x = b.Conv2D(x, RoundFilters(1280), 1, padding: "same", useBias: false, name: "top_conv");
        x = b.BatchNormalization(x, name: "top_bn");
        x = b.Activation(x, activation, name: "top_activation");
        if (!o.IncludeTop) return x;
        x = b.GlobalAveragePooling2D(x, name: "avg_pool");
        if (dropoutRate > 0) x = b.Dropout(x, dropoutRate, name: "top_dropout");
        return b.Dense(x, o.Classes, "softmax", name: "predictions");
    }

    /// <summary>Keras' <c>block</c>: an inverted residual block with squeeze-and-excitation.</summary>
    private static string Block(KerasGraphBuilder b, string inputs, string activation, double dropRate, string name, int filtersIn, int filtersOut,
        int kernelSize, int strides, int expandRatio, double seRatio, bool idSkip)
    {
        // Expansion phase
        long filters = (long)filtersIn * expandRatio;
        var x = inputs;
        if (expandRatio != 1)
        {
            x = b.Conv2D(x, filters, 1, padding: "same", useBias: false, name: $"{name}expand_conv");
            x = b.BatchNormalization(x, name: $"{name}expand_bn");
            x = b.Activation(x, activation, name: $"{name}expand_activation");
        }

        // Depthwise convolution
        if (strides == 2) x = b.CorrectPad(x, kernelSize, name: $"{name}dwconv_pad");
        x = b.DepthwiseConv2D(x, kernelSize, strides, padding: strides == 2 ? "valid" : "same", useBias: false, name: $"{name}dwconv");
        x = b.BatchNormalization(x, name: $"{name}bn");
        x = b.Activation(x, activation, name: $"{name}activation");

        // Squeeze and excitation
        if (seRatio > 0 && seRatio <= 1)
        {
            long filtersSe = Math.Max(1, (long)(filtersIn * seRatio));
            var se = b.GlobalAveragePooling2D(x, name: $"{name}se_squeeze");
            se = b.ReshapeToMap(se, name: $"{name}se_reshape");
            se = b.Conv2D(se, filtersSe, 1, padding: "same", activation: activation, name: $"{name}se_reduce");
            se = b.Conv2D(se, filters, 1, padding: "same", activation: "sigmoid", name: $"{name}se_expand");
            x = b.Multiply(x, se, name: $"{name}se_excite");
        }

        // Output phase
        x = b.Conv2D(x, filtersOut, 1, padding: "same", useBias: false, name: $"{name}project_conv");
        x = b.BatchNormalization(x, name: $"{name}project_bn");
        if (idSkip && strides == 1 && filtersIn == filtersOut)
        {
            // Stochastic depth: whole samples are dropped (noise_shape=(None, 1, 1, 1)).
            if (dropRate > 0) x = b.Dropout(x, dropRate, perSample: true, name: $"{name}drop");
            x = b.Add(x, inputs, name: $"{name}add");
        }
        return x;
    }
}
