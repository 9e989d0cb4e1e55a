using System.Globalization;
using TransferLearning.Models.Keras;
using TransferLearning.Models.Weights;

namespace TransferLearning.Models.Architectures;

/// <summary>Keras' <c>MobileNetV2</c>, layer for layer as <c>keras/src/applications/mobilenet_v2.py</c>; takes <c>alpha</c>.</summary>
public static class MobileNetV2
{
    private const string BaseWeightPath = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/";
    private static readonly double[] Alphas = [0.35, 0.5, 0.75, 1.0, 1.3, 1.4];

    /// <summary>The application: 224x224, "tf" preprocessing, weights for alpha 0.35, 0.5, 0.75, 1.0, 1.3, 1.4 (Keras gives no checksums).</summary>
    public static readonly KerasApplication Application = new()
    {
        Name = "MobileNetV2",
        InputSize = 224,
        PreprocessingMode = "tf",
        HasAlpha = true,
        Define = Define,
        NoTopWeights = alpha => Alphas.Contains(alpha) ? Weights($"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{AlphaText(alpha)}_224_no_top.h5") : null,
    };

    /// <summary>The file with the ImageNet classifier, as Keras names it.</summary>
    public static WeightsFile? TopWeights(double alpha) =>
        Alphas.Contains(alpha) ? Weights($"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{AlphaText(alpha)}_224.h5") : null;

    private static WeightsFile Weights(string fileName) => new(fileName, BaseWeightPath + fileName, null);

    /// <summary>Python's <c>str(float(alpha))</c>: 1.0, 0.35, 1.3.</summary>
    private static string AlphaText(double alpha) => alpha.ToString("0.0##", CultureInfo.InvariantCulture);

    private static string Define(KerasGraphBuilder b, KerasApplicationOptions o)
    {
        double alpha = o.Alpha;
        var x = b.Conv2D(b.Input, MakeDivisible(32 * alpha, 8), 3, strides: 2, padding: "same", useBias: false, name: "Conv1");
        x = b.BatchNormalization(x, epsilon: 1e-3, momentum: 0.999, name: "bn_Conv1");
        x = b.ReLU(x, 6, name: "Conv1_relu");
        (int Filters, int Stride, int Expansion)[] blocks =
        [
            (16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (32, 1, 6), (64, 2, 6), (64, 1, 6), (64, 1, 6), (64, 1, 6),
            (96, 1, 6), (96, 1, 6), (96, 1, 6), (160, 2, 6), (160, 1, 6), (160, 1, 6), (320, 1, 6),
        ];
        for (int i = 0; i < blocks.Length; i++) x = InvertedResBlock(b, x, blocks[i].Expansion, blocks[i].Stride, alpha, blocks[i].Filters, i);
        long lastFilters = alpha > 1.0 ? MakeDivisible(1280 * alpha, 8) : 1280;
        x = b.Conv2D(x, lastFilters, 1, useBias: false, name: "Conv_1");
        x = b.BatchNormalization(x, epsilon: 1e-3, momentum: 0.999, name: "Conv_1_bn");
        x = b.ReLU(x, 6, name: "out_relu");
        if (!o.IncludeTop) return x;
        x = b.GlobalAveragePooling2D(x);
        return b.Dense(x, o.Classes, "softmax", name: "predictions");
    }

    private static string InvertedResBlock(KerasGraphBuilder b, string inputs, int expansion, int stride, double alpha, int filters, int blockId)
    {
        long inChannels = b.Channels(inputs);
        long pointwiseFilters = MakeDivisible((int)(filters * alpha), 8);
        var x = inputs;
        var prefix = $"block_{blockId.ToString(CultureInfo.InvariantCulture)}_";
        if (blockId != 0)
        {
            x = b.Conv2D(x, expansion * inChannels, 1, padding: "same", useBias: false, name: $"{prefix}expand");
            x = b.BatchNormalization(x, epsilon: 1e-3, momentum: 0.999, name: $"{prefix}expand_BN");
            x = b.ReLU(x, 6, name: $"{prefix}expand_relu");
        }
        else prefix = "expanded_conv_";
        if (stride == 2) x = b.CorrectPad(x, 3, name: $"{prefix}pad");
        x = b.DepthwiseConv2D(x, 3, stride, padding: stride == 1 ? "same" : "valid", useBias: false, name: $"{prefix}depthwise");
        x = b.BatchNormalization(x, epsilon: 1e-3, momentum: 0.999, name: $"{prefix}depthwise_BN");
        x = b.ReLU(x, 6, name: $"{prefix}depthwise_relu");
        x = b.Conv2D(x, pointwiseFilters, 1, padding: "same", useBias: false, name: $"{prefix}project");
        x = b.BatchNormalization(x, epsilon: 1e-3, momentum: 0.999, name: $"{prefix}project_BN");
        return inChannels == pointwiseFilters && stride == 1 ? b.Add(inputs, x, name: $"{prefix}add") : x;
    }

    /// <summary>Keras' <c>_make_divisible</c>: the nearest multiple of <paramref name="divisor"/>, never 10% below <paramref name="v"/>.</summary>
    internal static long MakeDivisible(double v, int divisor)
    {
        long newV = Math.Max(divisor, (long)(v + divisor / 2.0) / divisor * divisor);
        return newV < 0.9 * v ? newV + divisor : newV;
    }
}
