using TransferLearning.Models.Weights;

namespace TransferLearning.Models.Registry;

/// <summary>What a model's pretrained weights assume and where they come from (after timm's <c>PretrainedCfg</c>).</summary>
/// <param name="InputHeight">Default input height in pixels.</param>
/// <param name="InputWidth">Default input width in pixels.</param>
/// <param name="Preprocessing">The preprocessing name, e.g. <c>caffe</c>, <c>tf</c>, <c>torch</c>.</param>
/// <param name="WeightsSource">Where the ImageNet weights come from, in words.</param>
/// <param name="Licence">The weights' licence.</param>
/// <param name="WeightsFile">The Keras weights file (without top) at the default width, or null when the weights are embedded.</param>
public sealed record PretrainedConfig(int InputHeight, int InputWidth, string Preprocessing, string WeightsSource, string Licence,
    WeightsFile? WeightsFile = null);
