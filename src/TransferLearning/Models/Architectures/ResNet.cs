using System.Globalization;
using TransferLearning.Models.Keras;
using TransferLearning.Models.Weights;

namespace TransferLearning.Models.Architectures;

/// <summary>
/// Keras' <c>ResNet50</c>, <c>ResNet101</c> and <c>ResNet152</c> (ResNet v1: convolutions with biases, post-activation
/// bottleneck blocks), layer for layer as <c>keras/src/applications/resnet.py</c>.
/// </summary>
public static class ResNet
{
    private const string BaseWeightsPath = "https://storage.googleapis.com/tensorflow/keras-applications/resnet/";

    /// <summary>ResNet50: 224x224, "caffe" preprocessing, blocks 3-4-6-3.</summary>
    public static readonly KerasApplication ResNet50 = Application("ResNet50", "resnet50", [3, 4, 6, 3], "4d473c1dd8becc155b73f8504c6f6626");

    /// <summary>ResNet101: 224x224, "caffe" preprocessing, blocks 3-4-23-3.</summary>
    public static readonly KerasApplication ResNet101 = Application("ResNet101", "resnet101", [3, 4, 23, 3], "88cf7a10940856eca736dc7b7e228a21");

    /// <summary>ResNet152: 224x224, "caffe" preprocessing, blocks 3-8-36-3.</summary>
    public static readonly KerasApplication ResNet152 = Application("ResNet152", "resnet152", [3, 8, 36, 3], "ee4c566cf9a93f14d82f913c2dc6dd0c");

    /// <summary>The file with the ImageNet classifier, as Keras names it, for <c>resnet50</c>, <c>resnet101</c> or <c>resnet152</c>.</summary>
    public static WeightsFile TopWeights(string weightsName) => weightsName switch
    {
        "resnet50" => Weights("resnet50_weights_tf_dim_ordering_tf_kernels.h5", "2cb95161c43110f7111970584f804107"),
        "resnet101" => Weights("resnet101_weights_tf_dim_ordering_tf_kernels.h5", "f1aeb4b969a6efcfb50fad2f0c20cfc5"),
        "resnet152" => Weights("resnet152_weights_tf_dim_ordering_tf_kernels.h5", "100835be76be38e30d865e96f2aaae62"),
        _ => throw new ArgumentException($"no Keras ResNet v1 called \"{weightsName}\"", nameof(weightsName)),
    };

    private static KerasApplication Application(string name, string weightsName, int[] blocks, string noTopHash)
    {
        var noTop = Weights($"{weightsName}_weights_tf_dim_ordering_tf_kernels_notop.h5", noTopHash);
        return new()
        {
            Name = name,
            InputSize = 224,
            PreprocessingMode = "caffe",
            Define = (b, o) => Define(b, o, blocks),
            NoTopWeights = _ => noTop,
        };
    }

    private static WeightsFile Weights(string fileName, string hash) => new(fileName, BaseWeightsPath + fileName, hash);

    private static string Define(KerasGraphBuilder b, KerasApplicationOptions o, int[] blocks)
    {
        var x = b.ZeroPadding2D(b.Input, 3, name: "conv1_pad");
        x = b.Conv2D(x, 64, 7, strides: 2, name: "conv1_conv");
        x = b.BatchNormalization(x, epsilon: 1.001e-5, name: "conv1_bn");
        x = b.Activation(x, "relu", name: "conv1_relu");
        x = b.ZeroPadding2D(x, 1, name: "pool1_pad");
        x = b.MaxPooling2D(x, 3, strides: 2, name: "pool1_pool");

        x = Stack(b, x, 64, blocks[0], stride1: 1, name: "conv2");
        x = Stack(b, x, 128, blocks[1], stride1: 2, name: "conv3");
        x = Stack(b, x, 256, blocks[2], stride1: 2, name: "conv4");
        x = Stack(b, x, 512, blocks[3], stride1: 2, name: "conv5");

        if (!o.IncludeTop) return x;
        x = b.GlobalAveragePooling2D(x, name: "avg_pool");
        return b.Dense(x, o.Classes, "softmax", name: "predictions");
    }

    /// <summary>Keras' <c>stack_residual_blocks_v1</c>: a projection block, then identity blocks <c>{name}_block2</c>...</summary>
    private static string Stack(KerasGraphBuilder b, string x, int filters, int blocks, int stride1, string name)
    {
        x = Block(b, x, filters, stride1, convShortcut: true, name: $"{name}_block1");
        for (int i = 2; i <= blocks; i++)
            x = Block(b, x, filters, 1, convShortcut: false, name: $"{name}_block{i.ToString(CultureInfo.InvariantCulture)}");
        return x;
    }

    /// <summary>
    /// Keras' <c>residual_block_v1</c>: 1x1 (strided), 3x3 "same", 1x1 to 4x filters, added to the shortcut (a strided 1x1
    /// projection in a stack's first block, else the input).
    /// </summary>
    private static string Block(KerasGraphBuilder b, string x, int filters, int stride, bool convShortcut, string name)
    {
        var inputs = x;
        x = b.Conv2D(x, filters, 1, strides: stride, name: $"{name}_1_conv");
        x = b.BatchNormalization(x, epsilon: 1.001e-5, name: $"{name}_1_bn");
        x = b.Activation(x, "relu", name: $"{name}_1_relu");

        x = b.Conv2D(x, filters, 3, padding: "same", name: $"{name}_2_conv");
        x = b.BatchNormalization(x, epsilon: 1.001e-5, name: $"{name}_2_bn");
        x = b.Activation(x, "relu", name: $"{name}_2_relu");

        // Keras lists model.layers by depth, so the projection shortcut interleaves with the last conv: _0_conv, _3_conv, _0_bn, _3_bn.
        var shortcut = convShortcut ? b.Conv2D(inputs, 4 * filters, 1, strides: stride, name: $"{name}_0_conv") : inputs;
        x = b.Conv2D(x, 4 * filters, 1, name: $"{name}_3_conv");
        if (convShortcut) shortcut = b.BatchNormalization(shortcut, epsilon: 1.001e-5, name: $"{name}_0_bn");
        x = b.BatchNormalization(x, epsilon: 1.001e-5, name: $"{name}_3_bn");

        x = b.Add(shortcut, x, name: $"{name}_add");
        return b.Activation(x, "relu", name: $"{name}_out");
    }
}
