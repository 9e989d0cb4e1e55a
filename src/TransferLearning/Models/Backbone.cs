using TorchSharp;
using static TorchSharp.torch;

namespace TransferLearning.Models;

/// <summary>
/// A pretrained feature extractor without its classifier (Keras' <c>include_top=False</c>): maps a
/// preprocessed batch <c>[N, 3, H, W]</c> to a feature map <c>[N, C, h, w]</c>. Carries the preprocessing
/// it was trained with and its layers in forward order, which is what freezing and unfreezing count.
/// </summary>
public sealed class Backbone : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> body;

    /// <summary>Wraps <paramref name="body"/>; <paramref name="layers"/> lists its layers in forward order.</summary>
    public Backbone(string name, nn.Module<Tensor, Tensor> body, IReadOnlyList<nn.Module> layers, Preprocessing.Preprocessing preprocessing, int featureChannels)
        : base(name)
    {
        this.body = body;
        Layers = layers;
        Preprocessing = preprocessing;
        FeatureChannels = featureChannels;
        RegisterComponents();
    }

    /// <summary>The layers in forward order, as Keras' <c>base_model.layers</c>.</summary>
    public IReadOnlyList<nn.Module> Layers { get; }

    /// <summary>How raw RGB 0..255 pixels must be transformed before <see cref="forward"/>.</summary>
    public Preprocessing.Preprocessing Preprocessing { get; }

    /// <summary>Channels of the output feature map (512 for ResNet-18).</summary>
    public int FeatureChannels { get; }

    /// <summary>The body as a splittable layer graph (run the frozen part without gradients, cache at the cut), or null.</summary>
    public ISplittableModule? Splittable => body as ISplittableModule;

    /// <inheritdoc/>
    public override Tensor forward(Tensor preprocessed) => body.call(preprocessed);
}
