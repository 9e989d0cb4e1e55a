namespace TransferLearning.Reporting;

/// <summary>The folder one training run writes into; every file goes through <see cref="AtomicFile"/>.</summary>
public sealed class RunDirectory
{
    private RunDirectory(string path) => Path = path;

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>
    /// Creates <paramref name="requested"/>, or a new timestamped folder under <paramref name="runsRoot"/>.
    /// An existing non-empty folder is never reused silently: that is an error (use <see cref="Open"/> to resume).
    /// </summary>
    public static RunDirectory Create(string? requested, string runsRoot)
    {
        var path = requested ?? System.IO.Path.Combine(runsRoot, DateTime.Now.ToString("yyyyMMdd-HHmmss"));
        for (int k = 2; requested is null && Directory.Exists(path); k++)
            path = System.IO.Path.Combine(runsRoot, $"{DateTime.Now:yyyyMMdd-HHmmss}-{k}");
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
            throw new IOException($"{path} already holds a run; choose another --output folder (runs are never overwritten).");
        Directory.CreateDirectory(path);
        return new RunDirectory(System.IO.Path.GetFullPath(path));
    }

    /// <summary>Opens an existing run folder to resume it: <paramref name="requested"/>, or the newest under <paramref name="runsRoot"/>.</summary>
    /// <exception cref="IOException">There is no such folder.</exception>
    public static RunDirectory Open(string? requested, string runsRoot)
    {
        var path = requested ?? (Directory.Exists(runsRoot) ? Directory.GetDirectories(runsRoot).Order(StringComparer.Ordinal).LastOrDefault() : null);
        if (path is null || !Directory.Exists(path))
            throw new IOException($"{path ?? runsRoot}: no run folder to resume; pass the run's folder with --output.");
        return new RunDirectory(System.IO.Path.GetFullPath(path));
    }

    /// <summary>The full path of <paramref name="name"/> inside the run folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes a text file atomically.</summary>
    public void WriteText(string name, string text) => AtomicFile.WriteText(File(name), text);
}
