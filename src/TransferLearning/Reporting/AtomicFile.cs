namespace TransferLearning.Reporting;

/// <summary>Writes files so that a crash leaves either the old file or the new one, never half of one: temp file in the same folder, then rename.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteText(string path, string text) => Write(path, temp => File.WriteAllText(temp, text));

    /// <summary>Lets <paramref name="writeTo"/> write a temp file, then moves it over <paramref name="path"/>.</summary>
    /// <exception cref="IOException">Writing failed (disk full, permissions); the message names the file, and any previous file is intact.</exception>
    public static void Write(string path, Action<string> writeTo)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            writeTo(temp);
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Runtime.InteropServices.ExternalException)
        {
            TryDelete(temp);
            throw new IOException($"{path}: could not be written ({e.Message.Split('\n')[0]}); any previous version is intact.", e);
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
