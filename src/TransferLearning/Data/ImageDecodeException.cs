namespace TransferLearning.Data;

/// <summary>A file could not be decoded as an image; the message names the file and the reason.</summary>
public sealed class ImageDecodeException(string path, string reason) : Exception($"{path}: {reason}")
{
    /// <summary>The file that failed.</summary>
    public string Path { get; } = path;
}
