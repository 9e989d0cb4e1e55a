namespace TransferLearning.Models.Keras;

/// <summary>The arguments every Keras application constructor shares.</summary>
/// <param name="Alpha">Width multiplier (MobileNet, MobileNetV2).</param>
/// <param name="IncludeTop">Whether to add the ImageNet classifier.</param>
/// <param name="Classes">Classes of that classifier.</param>
public sealed record KerasApplicationOptions(double Alpha = 1.0, bool IncludeTop = false, int Classes = 1000);
