namespace TransferLearning.Runtime;

/// <summary>A leading <c>~</c> in a path means the user's home folder, as a shell (and Keras' <c>expanduser</c>) reads it.</summary>
public static class HomePath
{
    /// <summary><c>~</c> or <c>~/rest</c> with the home folder put in; any other path unchanged (<c>~user</c> forms too).</summary>
    public static string Expand(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path != "~" && !path.StartsWith("~/", StringComparison.Ordinal) && !path.StartsWith("~\\", StringComparison.Ordinal)) return path;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? path : Path.Join(home, path[1..].TrimStart('/', '\\'));
    }

    /// <summary>The absolute path of <paramref name="path"/> with a leading <c>~</c> expanded, relative paths against <paramref name="baseDirectory"/> (default: the current folder).</summary>
    public static string FullPath(string path, string? baseDirectory = null) =>
        baseDirectory is null ? Path.GetFullPath(Expand(path)) : Path.GetFullPath(Expand(path), baseDirectory);
}
