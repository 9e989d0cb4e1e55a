namespace TransferLearning.Models.Weights;

/// <summary>
/// A pretrained weights file is in no cache folder and could not be downloaded (offline, server unreachable,
/// HTTP error, or the download did not match its checksum). The one-line message names the file, its URL,
/// the folder to put it in by hand, and the offline alternative.
/// </summary>
public sealed class WeightsUnavailableException : IOException
{
    /// <summary>Creates the exception; <paramref name="reason"/> is cut to its first line so the message stays one line.</summary>
    /// <param name="fileName">The weights file's name.</param>
    /// <param name="url">Where it was to be downloaded from.</param>
    /// <param name="folder">The folder where a copy downloaded by hand would be found (the project cache).</param>
    /// <param name="reason">Why it could not be downloaded, in a few words.</param>
    /// <param name="inner">The underlying network or I/O error, if any.</param>
    public WeightsUnavailableException(string fileName, string url, string folder, string reason, Exception? inner = null)
        : base(Format(fileName, url, folder, reason), inner)
    {
        FileName = fileName;
        Url = url;
        Folder = folder;
        Reason = FirstLine(reason);
    }

    /// <summary>The weights file's name.</summary>
    public string FileName { get; }

    /// <summary>Where it was to be downloaded from.</summary>
    public string Url { get; }

    /// <summary>The folder where a copy downloaded by hand would be found.</summary>
    public string Folder { get; }

    /// <summary>Why it could not be downloaded.</summary>
    public string Reason { get; }

    private static string Format(string fileName, string url, string folder, string reason) =>
        $"{fileName} is not cached and could not be downloaded from {url} ({FirstLine(reason)}). " +
        $"Download it elsewhere and put it in {folder}, or use model.base_architecture \"ResNet18\", which is embedded and always works offline.";

    // Socket and HTTP messages sometimes carry a second line (a trace id, a hint); the message must stay one line.
    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim().TrimEnd('.');
        return line.Length == 0 ? "unknown error" : line;
    }
}
