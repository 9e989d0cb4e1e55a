using TorchSharp;
using TransferLearning.Models.Heads;
using static TorchSharp.torch;

namespace TransferLearning.Models;

/// <summary>
/// Backbone plus head: RGB pixels 0..255 <c>[N, 3, H, W]</c> in, class logits out. Preprocessing is part
/// of the model (as in Keras' EfficientNet), so whoever uses it needs nothing else to feed it.
/// </summary>
public sealed class TransferModel : nn.Module<Tensor, Tensor>
{
    private readonly Backbone backbone;
    private readonly ClassifierHead head;

    /// <summary>Combines a backbone, a pooling and a head.</summary>
    public TransferModel(Backbone backbone, GlobalPooling pooling, ClassifierHead head) : base("model")
    {
        this.backbone = backbone;
        this.head = head;
        Pooling = pooling;
        RegisterComponents();
    }

    /// <summary>The pretrained feature extractor.</summary>
    public Backbone Backbone => backbone;

    /// <summary>The classifier on pooled features.</summary>
    public ClassifierHead Head => head;

    /// <summary>How the feature map is pooled before the head.</summary>
    public GlobalPooling Pooling { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor rgb)
    {
        using var scope = NewDisposeScope();
        var features = backbone.call(backbone.Preprocessing.Apply(rgb));
        return head.call(GlobalPool.Apply(features, Pooling)).MoveToOuterDisposeScope();
    }

    /// <summary>Class probabilities (softmax of the logits).</summary>
    public Tensor PredictProbabilities(Tensor rgb)
    {
        using var logits = call(rgb);
        return logits.softmax(1);
    }
}
