using TransferLearning.Models.Architectures;

namespace TransferLearning.Models.Registry;

/// <summary>Every architecture by name, built once and immutable.</summary>
public static class ModelRegistry
{
    private static readonly IReadOnlyDictionary<string, ModelEntry> Entries =
        new[] { ResNet18Onnx.Entry }.Concat(KerasApplications.All.Select(a => a.Entry)).ToDictionary(e => e.Name, StringComparer.Ordinal);

    /// <summary>All known entries, by name.</summary>
    public static IReadOnlyCollection<ModelEntry> All => Entries.Values.ToList();

    /// <summary>The entry called <paramref name="name"/>, or null.</summary>
    public static ModelEntry? Find(string name) => Entries.GetValueOrDefault(name);

    /// <summary>The entry called <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> listing the known names.</summary>
    public static ModelEntry Get(string name) => Find(name)
        ?? throw new KeyNotFoundException($"architecture \"{name}\" is not known. Known: {string.Join(", ", Entries.Keys)}.");
}
