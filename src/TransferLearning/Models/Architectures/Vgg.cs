using System.Globalization;
using TransferLearning.Models.Keras;
using TransferLearning.Models.Weights;

namespace TransferLearning.Models.Architectures;

/// <summary>Keras' <c>VGG16</c> and <c>VGG19</c>, layer for layer as <c>keras/src/applications/vgg16.py</c> and <c>vgg19.py</c>.</summary>
public static class Vgg
{
    private const string BaseWeightsPath = "https://storage.googleapis.com/tensorflow/keras-applications/";

    /// <summary>VGG16: 224x224, "caffe" preprocessing, 2-2-3-3-3 convolutions per block.</summary>
    public static readonly KerasApplication VGG16 = Application("VGG16", [2, 2, 3, 3, 3],
        Weights("vgg16", "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5", "6d6bbae143d832006294945121d1f1fc"));

    /// <summary>VGG19: 224x224, "caffe" preprocessing, 2-2-4-4-4 convolutions per block.</summary>
    public static readonly KerasApplication VGG19 = Application("VGG19", [2, 2, 4, 4, 4],
        Weights("vgg19", "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5", "253f8cb515780f3b799900260a226db6"));

    /// <summary>The VGG16 file with the ImageNet classifier, as Keras names it.</summary>
    public static WeightsFile VGG16TopWeights { get; } =
        Weights("vgg16", "vgg16_weights_tf_dim_ordering_tf_kernels.h5", "64373286793e3c8b2b4e3219cbf3544b");

    /// <summary>The VGG19 file with the ImageNet classifier, as Keras names it.</summary>
    public static WeightsFile VGG19TopWeights { get; } =
        Weights("vgg19", "vgg19_weights_tf_dim_ordering_tf_kernels.h5", "cbe5617147190e668d6c5d5026f83318");

    private static WeightsFile Weights(string folder, string fileName, string hash) => new(fileName, $"{BaseWeightsPath}{folder}/{fileName}", hash);

    private static KerasApplication Application(string name, int[] convsPerBlock, WeightsFile noTop) => new()
    {
        Name = name,
        InputSize = 224,
        PreprocessingMode = "caffe",
        Define = (b, o) => Define(b, o, convsPerBlock),
        NoTopWeights = _ => noTop,
    };

    private static string Define(KerasGraphBuilder b, KerasApplicationOptions o, int[] convsPerBlock)
    {
        long[] filters = [64, 128, 256, 512, 512];
        var x = b.Input;
        for (int block = 1; block <= 5; block++)
        {
            var prefix = $"block{block.ToString(CultureInfo.InvariantCulture)}";
            for (int conv = 1; conv <= convsPerBlock[block - 1]; conv++)
                x = b.Conv2D(x, filters[block - 1], 3, padding: "same", name: $"{prefix}_conv{conv.ToString(CultureInfo.InvariantCulture)}", activation: "relu");
            x = b.MaxPooling2D(x, 2, strides: 2, name: $"{prefix}_pool");
        }
        if (!o.IncludeTop) return x;
        // Keras builds the top only for 224x224 inputs: five 2x2 pools leave 7x7.
        x = b.Flatten(x, name: "flatten", spatial: (7, 7));
        x = b.Dense(x, 4096, "relu", name: "fc1");
        x = b.Dense(x, 4096, "relu", name: "fc2");
        return b.Dense(x, o.Classes, "softmax", name: "predictions");
    }
}
