using System.Security.Cryptography;

namespace TransferLearning.Models.Weights;

/// <summary>
/// A pretrained weights file as Keras' application code names it:
/// the arguments of <c>keras.utils.get_file(fname, origin, cache_subdir="models", file_hash=...)</c>.
/// </summary>
/// <param name="FileName">The file's name in the cache folder, e.g. <c>resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5</c>; a plain name, no folder.</param>
/// <param name="Url">Where to download it from (Keras' <c>origin</c>).</param>
/// <param name="Hash">
/// The hex checksum exactly as Keras' source gives it: 64 hex digits are a SHA-256, anything else an MD5
/// (Keras' <c>file_hash</c> auto-detection). Null when Keras gives none; then the file cannot be verified.
/// </param>
public sealed record WeightsFile(string FileName, string Url, string? Hash)
{
    /// <summary>The checksum, trimmed; null when blank (a blank hash is no hash, as in Keras).</summary>
    public string? Hash { get; init; } = string.IsNullOrWhiteSpace(Hash) ? null : Hash.Trim();

    /// <summary><c>"sha256"</c> or <c>"md5"</c>, detected from <see cref="Hash"/>'s length as Keras does; null when there is no hash.</summary>
    public string? HashAlgorithm => AlgorithmOf(Hash);

    /// <summary>True when the file at <paramref name="path"/> matches <see cref="Hash"/>, or when there is no hash to check.</summary>
    public bool Verify(string path) => Verify(path, Hash);

    /// <summary>
    /// True when the file at <paramref name="path"/> has the checksum <paramref name="hash"/> (SHA-256 for 64 hex digits, else MD5;
    /// case-insensitive), or when <paramref name="hash"/> is null: nothing to check, as in Keras.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static bool Verify(string path, string? hash)
    {
        var algorithm = AlgorithmOf(hash);
        return algorithm is null || string.Equals(ComputeHash(path, algorithm), hash!.Trim(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The lower-case hex checksum of the file at <paramref name="path"/> with <paramref name="algorithm"/> (<c>"sha256"</c> or <c>"md5"</c>).</summary>
    /// <exception cref="ArgumentException"><paramref name="algorithm"/> is neither.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static string ComputeHash(string path, string algorithm)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var digest = algorithm switch
        {
            "sha256" => SHA256.HashData(stream),
            "md5" => MD5.HashData(stream),
            _ => throw new ArgumentException($"unknown hash algorithm \"{algorithm}\" (expected sha256 or md5)", nameof(algorithm)),
        };
        return Convert.ToHexStringLower(digest);
    }

    // Keras' get_file: algorithm "auto" means sha256 when the hash has 64 characters, md5 otherwise.
    private static string? AlgorithmOf(string? hash) =>
        string.IsNullOrWhiteSpace(hash) ? null : hash.Trim().Length == 64 ? "sha256" : "md5";
}
