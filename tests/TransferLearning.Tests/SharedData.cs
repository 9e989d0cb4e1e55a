namespace TransferLearning.Tests;

/// <summary>Locates the read-only <c>shared/</c> folder that sits beside the repository (data, weights, fixtures).</summary>
internal static class SharedData
{
    public static string Root { get; } = Find();

    public static string Flowers => Path.Combine(Root, "data", "flowers");

    /// <summary>The JSON example of the user's own description (shared/spec/transfer-learning-seed.txt), exactly as written there.</summary>
    public static string SeedSpecJson()
    {
        var text = File.ReadAllText(Path.Combine(Root, "spec", "transfer-learning-seed.txt"));
        return text[text.IndexOf('{')..(text.LastIndexOf('}') + 1)];
    }

    /// <summary>The first <paramref name="count"/> photos (sorted by name) of each flower class.</summary>
    public static IReadOnlyList<string> FlowerPhotos(int count) =>
        Directory.GetDirectories(Flowers).Order(StringComparer.Ordinal)
            .SelectMany(d => Directory.GetFiles(d, "*.jpg").Order(StringComparer.Ordinal).Take(count)).ToList();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (dir.Parent is not null && Directory.Exists(Path.Combine(candidate, "data", "flowers"))) return candidate;
        }
        throw new DirectoryNotFoundException("../shared (with data/flowers) was not found above the test output; these tests need the shared folder beside the repository.");
    }
}
