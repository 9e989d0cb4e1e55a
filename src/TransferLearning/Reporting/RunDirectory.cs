namespace TransferLearning.Reporting;

/// <summary>The folder one training run writes into; every file goes through <see cref="AtomicFile"/>.</summary>
public sealed class RunDirectory
{
    private RunDirectory(string path) => Path = path;

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>
    /// Creates <paramref name="requested"/>, or a new timestamped folder under <paramref name="runsRoot"/>.
    /// An existing non-empty folder is never reused silently: that is an error unless <paramref name="allowExisting"/>.
    /// </summary>
    public static RunDirectory Create(string? requested, string runsRoot, bool allowExisting = false)
    {
        var path = requested ?? System.IO.Path.Combine(runsRoot, DateTime.Now.ToString("yyyyMMdd-HHmmss"));
        for (int k = 2; requested is null && Directory.Exists(path); k++)
            path = System.IO.Path.Combine(runsRoot, $"{DateTime.Now:yyyyMMdd-HHmmss}-{k}");
        if (!allowExisting && Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
            throw new IOException($"{path} already holds a run; choose another --output folder (runs are never overwritten).");
        Directory.CreateDirectory(path);
        return new RunDirectory(System.IO.Path.GetFullPath(path));
    }

    /// <summary>The full path of <paramref name="name"/> inside the run folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes a text file atomically.</summary>
    public void WriteText(string name, string text) => AtomicFile.WriteText(File(name), text);
}
