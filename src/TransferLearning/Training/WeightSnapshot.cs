using TorchSharp;
using static TorchSharp.torch;

namespace TransferLearning.Training;

/// <summary>A detached copy of a module's parameters and buffers, to restore later (best weights). Owns its tensors.</summary>
public sealed class WeightSnapshot : IDisposable
{
    private readonly Dictionary<string, Tensor> _state;

    private WeightSnapshot(Dictionary<string, Tensor> state) => _state = state;

    /// <summary>Copies the current state of <paramref name="module"/>.</summary>
    public static WeightSnapshot Take(nn.Module module)
    {
        using var _ = no_grad();
        return new WeightSnapshot(module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope()));
    }

    /// <summary>Reads weights saved with <c>module.save</c> into a snapshot, using <paramref name="module"/> for the structure (its own weights are kept).</summary>
    public static WeightSnapshot Load(nn.Module module, string path)
    {
        using var current = Take(module);
        module.load(path);
        var loaded = Take(module);
        current.Restore(module);
        return loaded;
    }

    /// <summary>Writes the copy back into <paramref name="module"/>.</summary>
    public void Restore(nn.Module module)
    {
        using var _ = no_grad();
        foreach (var (name, value) in module.state_dict())
            value.copy_(_state[name]);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var t in _state.Values) t.Dispose();
    }
}
