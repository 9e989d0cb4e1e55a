namespace TransferLearning.Models.Registry;

/// <summary>One architecture the registry knows: its Keras-style name, its pretrained config and how to build it.</summary>
/// <param name="Name">The name used in specs (<c>model.base_architecture</c>), e.g. <c>ResNet18</c>.</param>
/// <param name="Pretrained">Input size, preprocessing and weights source.</param>
/// <param name="CreateBackbone">Builds the backbone with its ImageNet weights loaded.</param>
public sealed record ModelEntry(string Name, PretrainedConfig Pretrained, Func<Backbone> CreateBackbone);
