using System.Globalization;
using TransferLearning.Models.Keras;
using TransferLearning.Models.Weights;

namespace TransferLearning.Models.Architectures;

/// <summary>Keras' <c>MobileNet</c> (v1), layer for layer as <c>keras/src/applications/mobilenet.py</c>; takes <c>alpha</c>.</summary>
public static class MobileNet
{
    private const string BaseWeightPath = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet/";

    /// <summary>The application: 224x224, "tf" preprocessing, weights for alpha 0.25, 0.5, 0.75 and 1.0 (Keras gives no checksums).</summary>
    public static readonly KerasApplication Application = new()
    {
        Name = "MobileNet",
        InputSize = 224,
        PreprocessingMode = "tf",
        HasAlpha = true,
        Define = Define,
        NoTopWeights = alpha => AlphaText(alpha) is { } text ? Weights($"mobilenet_{text}_224_tf_no_top.h5") : null,
    };

    /// <summary>The file with the ImageNet classifier, as Keras names it.</summary>
    public static WeightsFile? TopWeights(double alpha) => AlphaText(alpha) is { } text ? Weights($"mobilenet_{text}_224_tf.h5") : null;

    private static WeightsFile Weights(string fileName) => new(fileName, BaseWeightPath + fileName, null);

    private static string? AlphaText(double alpha) => alpha switch
    {
        1.0 => "1_0",
        0.75 => "7_5",
        0.5 => "5_0",
        0.25 => "2_5",
        _ => null,
    };

    private static string Define(KerasGraphBuilder b, KerasApplicationOptions o)
    {
        var x = ConvBlock(b, b.Input, 32, o.Alpha, strides: 2);
        (int Filters, int Strides)[] blocks = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1)];
        for (int i = 0; i < blocks.Length; i++) x = DepthwiseConvBlock(b, x, blocks[i].Filters, o.Alpha, blocks[i].Strides, blockId: i + 1);
        if (!o.IncludeTop) return x;
        x = b.GlobalAveragePooling2D(x, keepDims: true);
        x = b.Dropout(x, 1e-3, name: "dropout");
        x = b.Conv2D(x, o.Classes, 1, padding: "same", name: "conv_preds");
        x = b.ReshapeToVector(x, name: "reshape_2");
        return b.Activation(x, "softmax", name: "predictions");
    }

    private static string ConvBlock(KerasGraphBuilder b, string x, int filters, double alpha, int strides)
    {
        x = b.Conv2D(x, (int)(filters * alpha), 3, strides, padding: "same", useBias: false, name: "conv1");
        x = b.BatchNormalization(x, name: "conv1_bn");
        return b.ReLU(x, 6, name: "conv1_relu");
    }

    private static string DepthwiseConvBlock(KerasGraphBuilder b, string x, int pointwiseFilters, double alpha, int strides, int blockId)
    {
        var id = blockId.ToString(CultureInfo.InvariantCulture);
        if (strides != 1) x = b.ZeroPadding2D(x, ((0, 1), (0, 1)), name: $"conv_pad_{id}");
        x = b.DepthwiseConv2D(x, 3, strides, padding: strides == 1 ? "same" : "valid", useBias: false, name: $"conv_dw_{id}");
        x = b.BatchNormalization(x, name: $"conv_dw_{id}_bn");
        x = b.ReLU(x, 6, name: $"conv_dw_{id}_relu");
        x = b.Conv2D(x, (int)(pointwiseFilters * alpha), 1, padding: "same", useBias: false, name: $"conv_pw_{id}");
        x = b.BatchNormalization(x, name: $"conv_pw_{id}_bn");
        return b.ReLU(x, 6, name: $"conv_pw_{id}_relu");
    }
}
