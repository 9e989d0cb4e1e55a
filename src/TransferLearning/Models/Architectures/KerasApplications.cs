using TransferLearning.Models.Keras;

namespace TransferLearning.Models.Architectures;

/// <summary>Every Keras application this library builds, by Keras name.</summary>
public static class KerasApplications
{
    /// <summary>All of them, in the order <c>tl models</c> lists them.</summary>
    public static IReadOnlyList<KerasApplication> All { get; } =
    [
        MobileNet.Application,
        MobileNetV2.Application,
        ResNet.ResNet50,
        ResNet.ResNet101,
        ResNet.ResNet152,
        Vgg.VGG16,
        Vgg.VGG19,
        DenseNet.DenseNet121,
        DenseNet.DenseNet169,
        DenseNet.DenseNet201,
        InceptionV3.Application,
        EfficientNet.B0,
        EfficientNet.B1,
        EfficientNet.B2,
        EfficientNet.B3,
        EfficientNet.B4,
        EfficientNet.B5,
        EfficientNet.B6,
        EfficientNet.B7,
    ];

    /// <summary>The application called <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> when there is none.</summary>
    public static KerasApplication Get(string name) => All.FirstOrDefault(a => a.Name == name)
        ?? throw new KeyNotFoundException($"no Keras application \"{name}\"; known: {string.Join(", ", All.Select(a => a.Name))}.");
}
