using TransferLearning.Models.Keras;
using TransferLearning.Models.Weights;

namespace TransferLearning.Models.Architectures;

/// <summary>
/// Keras' <c>InceptionV3</c>, layer for layer as <c>keras/src/applications/inception_v3.py</c>. Its convolutions,
/// batch norms and activations have Keras' automatic names (<c>conv2d</c>, <c>conv2d_1</c>, ...), numbered in the order
/// the source creates them; Keras' own <c>.h5</c> files, written by an older Keras that counted from 1, load by order.
/// </summary>
public static class InceptionV3
{
    private const string BaseWeightsPath = "https://storage.googleapis.com/tensorflow/keras-applications/inception_v3/";

    /// <summary>The application: 299x299 (75x75 at least), "tf" preprocessing.</summary>
    public static readonly KerasApplication Application = new()
    {
        Name = "InceptionV3",
        InputSize = 299,
        PreprocessingMode = "tf",
        Define = Define,
        NoTopWeights = alpha => alpha == 1.0 ? Weights("inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5", "bcbd6486424b2319ff4ef7d526e38f63") : null,
    };

    /// <summary>The file with the ImageNet classifier, as Keras names it, with Keras' MD5.</summary>
    public static WeightsFile TopWeights => Weights("inception_v3_weights_tf_dim_ordering_tf_kernels.h5", "9a0d58056eeedaa3f26cb7ebd46da564");

    private static WeightsFile Weights(string fileName, string md5) => new(fileName, BaseWeightsPath + fileName, md5);

    private static string Define(KerasGraphBuilder b, KerasApplicationOptions o)
    {
        var x = Conv2DBn(b, b.Input, 32, 3, 3, strides: 2, padding: "valid");
        x = Conv2DBn(b, x, 32, 3, 3, padding: "valid");
        x = Conv2DBn(b, x, 64, 3, 3);
        x = b.MaxPooling2D(x, 3, strides: 2);
        x = Conv2DBn(b, x, 80, 1, 1, padding: "valid");
        x = Conv2DBn(b, x, 192, 3, 3, padding: "valid");
        x = b.MaxPooling2D(x, 3, strides: 2);

        // mixed 0, 1, 2: 35 x 35 x 256, 288, 288
        for (int i = 0; i < 3; i++)
        {
            var branch1x1 = Conv2DBn(b, x, 64, 1, 1);
            var branch5x5 = Conv2DBn(b, x, 48, 1, 1);
            branch5x5 = Conv2DBn(b, branch5x5, 64, 5, 5);
            var branch3x3dbl = Conv2DBn(b, x, 64, 1, 1);
            branch3x3dbl = Conv2DBn(b, branch3x3dbl, 96, 3, 3);
            branch3x3dbl = Conv2DBn(b, branch3x3dbl, 96, 3, 3);
            var branchPool = b.AveragePooling2D(x, 3, strides: 1, padding: "same");
            branchPool = Conv2DBn(b, branchPool, i == 0 ? 32 : 64, 1, 1);
            x = b.Concatenate([branch1x1, branch5x5, branch3x3dbl, branchPool], name: $"mixed{i}");
        }

        // mixed 3: 17 x 17 x 768
        {
            var branch3x3 = Conv2DBn(b, x, 384, 3, 3, strides: 2, padding: "valid");
            var branch3x3dbl = Conv2DBn(b, x, 64, 1, 1);
            branch3x3dbl = Conv2DBn(b, branch3x3dbl, 96, 3, 3);
            branch3x3dbl = Conv2DBn(b, branch3x3dbl, 96, 3, 3, strides: 2, padding: "valid");
            var branchPool = b.MaxPooling2D(x, 3, strides: 2);
            x = b.Concatenate([branch3x3, branch3x3dbl, branchPool], name: "mixed3");
        }

        // mixed 4, 5, 6, 7: 17 x 17 x 768, the 7x7 branches 128, 160, 160 and 192 wide
        int[] widths = [128, 160, 160, 192];
        for (int i = 0; i < widths.Length; i++)
        {
            int w = widths[i];
            var branch1x1 = Conv2DBn(b, x, 192, 1, 1);
            var branch7x7 = Conv2DBn(b, x, w, 1, 1);
            branch7x7 = Conv2DBn(b, branch7x7, w, 1, 7);
            branch7x7 = Conv2DBn(b, branch7x7, 192, 7, 1);
            var branch7x7dbl = Conv2DBn(b, x, w, 1, 1);
            branch7x7dbl = Conv2DBn(b, branch7x7dbl, w, 7, 1);
            branch7x7dbl = Conv2DBn(b, branch7x7dbl, w, 1, 7);
            branch7x7dbl = Conv2DBn(b, branch7x7dbl, w, 7, 1);
            branch7x7dbl = Conv2DBn(b, branch7x7dbl, 192, 1, 7);
            var branchPool = b.AveragePooling2D(x, 3, strides: 1, padding: "same");
            branchPool = Conv2DBn(b, branchPool, 192, 1, 1);
            x = b.Concatenate([branch1x1, branch7x7, branch7x7dbl, branchPool], name: $"mixed{4 + i}");
        }

        // mixed 8: 8 x 8 x 1280
        {
            var branch3x3 = Conv2DBn(b, x, 192, 1, 1);
            branch3x3 = Conv2DBn(b, branch3x3, 320, 3, 3, strides: 2, padding: "valid");
            var branch7x7x3 = Conv2DBn(b, x, 192, 1, 1);
            branch7x7x3 = Conv2DBn(b, branch7x7x3, 192, 1, 7);
            branch7x7x3 = Conv2DBn(b, branch7x7x3, 192, 7, 1);
            branch7x7x3 = Conv2DBn(b, branch7x7x3, 192, 3, 3, strides: 2, padding: "valid");
            var branchPool = b.MaxPooling2D(x, 3, strides: 2);
            x = b.Concatenate([branch3x3, branch7x7x3, branchPool], name: "mixed8");
        }

        // mixed 9, 10: 8 x 8 x 2048
        for (int i = 0; i < 2; i++)
        {
            var branch1x1 = Conv2DBn(b, x, 320, 1, 1);
            var branch3x3 = Conv2DBn(b, x, 384, 1, 1);
            var branch3x3_1 = Conv2DBn(b, branch3x3, 384, 1, 3);
            var branch3x3_2 = Conv2DBn(b, branch3x3, 384, 3, 1);
            branch3x3 = b.Concatenate([branch3x3_1, branch3x3_2], name: $"mixed9_{i}");
            var branch3x3dbl = Conv2DBn(b, x, 448, 1, 1);
            branch3x3dbl = Conv2DBn(b, branch3x3dbl, 384, 3, 3);
            var branch3x3dbl_1 = Conv2DBn(b, branch3x3dbl, 384, 1, 3);
            var branch3x3dbl_2 = Conv2DBn(b, branch3x3dbl, 384, 3, 1);
            branch3x3dbl = b.Concatenate([branch3x3dbl_1, branch3x3dbl_2]); // unnamed in Keras: concatenate, concatenate_1
            var branchPool = b.AveragePooling2D(x, 3, strides: 1, padding: "same");
            branchPool = Conv2DBn(b, branchPool, 192, 1, 1);
            x = b.Concatenate([branch1x1, branch3x3, branch3x3dbl, branchPool], name: $"mixed{9 + i}");
        }

        if (!o.IncludeTop) return x;
        x = b.GlobalAveragePooling2D(x, name: "avg_pool");
        return b.Dense(x, o.Classes, "softmax", name: "predictions");
    }

    /// <summary>Keras' <c>conv2d_bn</c> with <c>name=None</c>: a bias-free Conv2D, a BatchNormalization without gamma, a ReLU.</summary>
    private static string Conv2DBn(KerasGraphBuilder b, string x, long filters, long rows, long columns, long strides = 1, string padding = "same")
    {
        x = b.Conv2D(x, filters, (rows, columns), strides, padding, useBias: false);
        x = b.BatchNormalization(x, scale: false);
        return b.Activation(x, "relu");
    }
}
