using TransferLearning.Models.Keras;
using TransferLearning.Models.Weights;

namespace TransferLearning.Models.Architectures;

/// <summary>Keras' <c>DenseNet121</c>, <c>DenseNet169</c> and <c>DenseNet201</c>, layer for layer as <c>keras/src/applications/densenet.py</c>.</summary>
public static class DenseNet
{
    private const string BaseWeightsPath = "https://storage.googleapis.com/tensorflow/keras-applications/densenet/";

    /// <summary>DenseNet-121: blocks 6, 12, 24, 16; 224x224, "torch" preprocessing.</summary>
    public static readonly KerasApplication DenseNet121 = Application("DenseNet121", [6, 12, 24, 16], "30ee3e1110167f948a6b9946edeeb738");

    /// <summary>DenseNet-169: blocks 6, 12, 32, 32; 224x224, "torch" preprocessing.</summary>
    public static readonly KerasApplication DenseNet169 = Application("DenseNet169", [6, 12, 32, 32], "b8c4d4c20dd625c148057b9ff1c1176b");

    /// <summary>DenseNet-201: blocks 6, 12, 48, 32; 224x224, "torch" preprocessing.</summary>
    public static readonly KerasApplication DenseNet201 = Application("DenseNet201", [6, 12, 48, 32], "c13680b51ded0fb44dff2d8f86ac8bb1");

    /// <summary>The file with the ImageNet classifier, as Keras names it, with Keras' MD5.</summary>
    public static WeightsFile TopWeights(KerasApplication application) => application.Name switch
    {
        "DenseNet121" => Weights("densenet121_weights_tf_dim_ordering_tf_kernels.h5", "9d60b8095a5708f2dcce2bca79d332c7"),
        "DenseNet169" => Weights("densenet169_weights_tf_dim_ordering_tf_kernels.h5", "d699b8f76981ab1b30698df4c175e90b"),
        "DenseNet201" => Weights("densenet201_weights_tf_dim_ordering_tf_kernels.h5", "1ceb130c1ea1b78c3bf6114dbdfd8807"),
        _ => throw new ArgumentException($"{application.Name} is not a DenseNet", nameof(application)),
    };

    private static KerasApplication Application(string name, int[] blocks, string noTopMd5) => new()
    {
        Name = name,
        InputSize = 224,
        PreprocessingMode = "torch",
        Define = (b, o) => Define(b, o, blocks),
        NoTopWeights = alpha => alpha == 1.0 ? Weights($"{name.ToLowerInvariant()}_weights_tf_dim_ordering_tf_kernels_notop.h5", noTopMd5) : null,
    };

    private static WeightsFile Weights(string fileName, string md5) => new(fileName, BaseWeightsPath + fileName, md5);

    private static string Define(KerasGraphBuilder b, KerasApplicationOptions o, int[] blocks)
    {
        // The two paddings have Keras' automatic names (zero_padding2d, zero_padding2d_1).
        var x = b.ZeroPadding2D(b.Input, 3);
        x = b.Conv2D(x, 64, 7, strides: 2, useBias: false, name: "conv1_conv");
        x = b.BatchNormalization(x, epsilon: 1.001e-5, name: "conv1_bn");
        x = b.Activation(x, "relu", name: "conv1_relu");
        x = b.ZeroPadding2D(x, 1);
        x = b.MaxPooling2D(x, 3, strides: 2, name: "pool1");

        x = DenseBlock(b, x, blocks[0], "conv2");
        x = TransitionBlock(b, x, 0.5, "pool2");
        x = DenseBlock(b, x, blocks[1], "conv3");
        x = TransitionBlock(b, x, 0.5, "pool3");
        x = DenseBlock(b, x, blocks[2], "conv4");
        x = TransitionBlock(b, x, 0.5, "pool4");
        x = DenseBlock(b, x, blocks[3], "conv5");

        x = b.BatchNormalization(x, epsilon: 1.001e-5, name: "bn");
        x = b.Activation(x, "relu", name: "relu");
        if (!o.IncludeTop) return x;
        x = b.GlobalAveragePooling2D(x, name: "avg_pool");
        return b.Dense(x, o.Classes, "softmax", name: "predictions");
    }

    private static string DenseBlock(KerasGraphBuilder b, string x, int blocks, string name)
    {
        for (int i = 0; i < blocks; i++) x = ConvBlock(b, x, 32, $"{name}_block{i + 1}");
        return x;
    }

    private static string TransitionBlock(KerasGraphBuilder b, string x, double reduction, string name)
    {
        x = b.BatchNormalization(x, epsilon: 1.001e-5, name: $"{name}_bn");
        x = b.Activation(x, "relu", name: $"{name}_relu");
        x = b.Conv2D(x, (long)(b.Channels(x) * reduction), 1, useBias: false, name: $"{name}_conv");
        return b.AveragePooling2D(x, 2, strides: 2, name: $"{name}_pool");
    }

    private static string ConvBlock(KerasGraphBuilder b, string x, int growthRate, string name)
    {
        var x1 = b.BatchNormalization(x, epsilon: 1.001e-5, name: $"{name}_0_bn");
        x1 = b.Activation(x1, "relu", name: $"{name}_0_relu");
        x1 = b.Conv2D(x1, 4 * growthRate, 1, useBias: false, name: $"{name}_1_conv");
        x1 = b.BatchNormalization(x1, epsilon: 1.001e-5, name: $"{name}_1_bn");
        x1 = b.Activation(x1, "relu", name: $"{name}_1_relu");
        x1 = b.Conv2D(x1, growthRate, 3, padding: "same", useBias: false, name: $"{name}_2_conv");
        return b.Concatenate([x, x1], name: $"{name}_concat");
    }
}
