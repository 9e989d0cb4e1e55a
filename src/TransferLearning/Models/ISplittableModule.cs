using static TorchSharp.torch;

namespace TransferLearning.Models;

/// <summary>
/// A layered module that can run its first <c>k</c> layers and its remaining layers separately. This is
/// what lets training skip backward through frozen layers, and cache activations at the freeze boundary.
/// </summary>
public interface ISplittableModule
{
    /// <summary>Number of layers (cut points run from 0 to this).</summary>
    int LayerCount { get; }

    /// <summary>Runs layers <c>[0, boundary)</c>; returns what layers from <paramref name="boundary"/> on need.</summary>
    BoundaryActivations ForwardPrefix(Tensor input, int boundary);

    /// <summary>Runs layers <c>[boundary, LayerCount)</c> from the activations at the cut; never disposes them.</summary>
    Tensor ForwardSuffix(BoundaryActivations activations, int boundary);
}
