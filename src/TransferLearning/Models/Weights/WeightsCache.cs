using TransferLearning.Runtime;

namespace TransferLearning.Models.Weights;

/// <summary>
/// The folders where pretrained weights files are looked for, in order: the caller's explicit folder,
/// this project's cache, then Keras' own cache (so weights Keras already downloaded are reused, never re-fetched).
/// </summary>
public static class WeightsCache
{
    /// <summary>The environment variable that overrides this project's weights cache folder.</summary>
    public const string DirectoryVariable = "TL_WEIGHTS_DIR";

    /// <summary>Keras' environment variable for its home folder; its cache is <c>$KERAS_HOME/models</c>.</summary>
    public const string KerasHomeVariable = "KERAS_HOME";

    /// <summary>
    /// This project's cache (a leading <c>~</c> in any of these is the home folder, as Keras expands <c>KERAS_HOME</c>): <c>$TL_WEIGHTS_DIR</c> if set, else <c>$XDG_CACHE_HOME/transfer-learning/weights</c>,
    /// else <c>~/.cache/transfer-learning/weights</c>. Read from the environment on every call.
    /// </summary>
    public static string ProjectFolder()
    {
        var overridden = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(overridden)) return HomePath.FullPath(overridden);
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        // No home (some containers and services): a temp folder still works, it just does not persist.
        var root = !string.IsNullOrWhiteSpace(xdg) ? HomePath.Expand(xdg) : !string.IsNullOrWhiteSpace(home) ? Path.Combine(home, ".cache") : Path.GetTempPath();
        return Path.GetFullPath(Path.Combine(root, "transfer-learning", "weights"));
    }

    /// <summary>Keras' cache for <c>cache_subdir="models"</c>: <c>$KERAS_HOME/models</c> if set, else <c>~/.keras/models</c>.</summary>
    public static string KerasFolder()
    {
        var kerasHome = Environment.GetEnvironmentVariable(KerasHomeVariable);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var root = !string.IsNullOrWhiteSpace(kerasHome) ? HomePath.Expand(kerasHome) : Path.Combine(string.IsNullOrWhiteSpace(home) ? Path.GetTempPath() : home, ".keras");
        return Path.GetFullPath(Path.Combine(root, "models"));
    }

    /// <summary>Where downloads go: <paramref name="explicitFolder"/> when given, else <see cref="ProjectFolder"/>.</summary>
    public static string DownloadFolder(string? explicitFolder) =>
        string.IsNullOrWhiteSpace(explicitFolder) ? ProjectFolder() : HomePath.FullPath(explicitFolder);

    /// <summary>
    /// The folders searched, in order and without duplicates: <paramref name="explicitFolder"/> (if given),
    /// <see cref="ProjectFolder"/>, <see cref="KerasFolder"/>.
    /// </summary>
    public static IReadOnlyList<string> SearchFolders(string? explicitFolder)
    {
        var folders = new List<string>();
        if (!string.IsNullOrWhiteSpace(explicitFolder)) folders.Add(HomePath.FullPath(explicitFolder));
        folders.Add(ProjectFolder());
        folders.Add(KerasFolder());
        return folders.Select(f => Path.TrimEndingDirectorySeparator(f)).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>True when <paramref name="folder"/> is Keras' cache, whose files this project must never move or delete.</summary>
    public static bool IsKerasFolder(string folder) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)), Path.TrimEndingDirectorySeparator(KerasFolder()), StringComparison.Ordinal);
}
