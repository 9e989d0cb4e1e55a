using static TorchSharp.torch;

namespace TransferLearning.Models.Keras;

/// <summary>One Keras weight of a layer (<c>kernel</c>, <c>gamma</c>, <c>moving_mean</c>...) and the torch tensor that holds it.</summary>
/// <param name="Name">Keras' short weight name, without the layer prefix or <c>:0</c>.</param>
/// <param name="Target">The parameter or buffer holding it, in torch layout.</param>
/// <param name="Layout">How Keras lays it out.</param>
public sealed record KerasWeightBinding(string Name, Tensor Target, KerasLayout Layout);

/// <summary>A layer with Keras weights, listed in Keras' own order (as <c>layer.weights</c>).</summary>
public interface IKerasWeights
{
    /// <summary>The layer's weights in Keras order.</summary>
    IReadOnlyList<KerasWeightBinding> KerasWeights { get; }
}
