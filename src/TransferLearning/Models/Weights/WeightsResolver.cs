using System.Net;
using System.Net.Http.Headers;

namespace TransferLearning.Models.Weights;

/// <summary>
/// Finds a pretrained weights file in the cache folders (<see cref="WeightsCache.SearchFolders"/>), or downloads it,
/// as Keras' <c>get_file(..., cache_subdir="models", file_hash=...)</c> would: verified by its checksum,
/// resumable (<c>.part</c> file plus an HTTP Range request) and moved into place only when whole.
/// </summary>
public static class WeightsResolver
{
    /// <summary>The environment variable that forbids downloads (<c>TL_OFFLINE=1</c>): only cached files are used.</summary>
    public const string OfflineVariable = "TL_OFFLINE";

    /// <summary>How long to wait for a TCP connection to the server.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for the response headers after connecting.</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromMinutes(2);

    /// <summary>How long a download may receive nothing before it is abandoned (the <c>.part</c> is kept for the next try).</summary>
    public static readonly TimeSpan ReadIdleTimeout = TimeSpan.FromSeconds(60);

    private const int BufferSize = 1 << 16;

    // One client for the process: sockets are pooled, and PooledConnectionLifetime picks up DNS changes.
    private static readonly HttpClient SharedClient = CreateClient(
        new SocketsHttpHandler { ConnectTimeout = ConnectTimeout, PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
        disposeHandler: true);

    /// <summary>A progress callback that logs a line at every tenth of the file (or every 10 MB when the size is unknown).</summary>
    public static Action<long, long?> LogProgress(string fileName, Action<string> log)
    {
        long lastStep = -1;
        return (received, total) =>
        {
            long step = total is > 0 ? received * 10 / total.Value : received / (10 << 20);
            if (step == lastStep) return;
            lastStep = step;
            log(total is > 0 ? $"downloading {fileName}: {step * 10}% of {total.Value / 1e6:F1} MB" : $"downloading {fileName}: {received / 1e6:F0} MB");
        };
    }

    /// <summary>
    /// The full path of a local copy of <paramref name="file"/> that matches its checksum: the first good one in
    /// <paramref name="cacheFolder"/>, the project cache and Keras' cache, else a fresh download into
    /// <see cref="WeightsCache.DownloadFolder"/>. A cached copy with the wrong checksum is skipped; in our own folders it is
    /// renamed to <c>&lt;name&gt;.corrupt</c>, in Keras' cache it is left alone.
    /// </summary>
    /// <param name="file">The file, its URL and its checksum.</param>
    /// <param name="cacheFolder">An explicit folder, searched first and downloaded into; null for the default.</param>
    /// <param name="log">Receives one line per event (found, moved aside, downloading, warnings).</param>
    /// <param name="progress">Receives (bytes so far, total bytes or null when the server does not say) while downloading.</param>
    /// <param name="handler">The HTTP handler to use instead of the shared client's (tests); not disposed.</param>
    /// <param name="cancellation">Stops a download; its <c>.part</c> is kept so the next call resumes it.</param>
    /// <exception cref="WeightsUnavailableException">Not cached and not downloadable: offline (<c>TL_OFFLINE</c>), network failure, HTTP error, or checksum mismatch.</exception>
    /// <exception cref="IOException">The cache folder or the file could not be written; the message names it.</exception>
    /// <exception cref="ArgumentException"><see cref="WeightsFile.FileName"/> is not a plain file name.</exception>
    public static string Resolve(WeightsFile file, string? cacheFolder, Action<string> log, Action<long, long?>? progress = null,
        HttpMessageHandler? handler = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(log);
        // The name becomes a path: a folder in it could write outside the cache.
        if (string.IsNullOrWhiteSpace(file.FileName) || file.FileName != Path.GetFileName(file.FileName) || file.FileName is "." or "..")
            throw new ArgumentException($"weights file name \"{file.FileName}\" must be a plain file name, without a folder", nameof(file));

        var cached = FindCached(file, cacheFolder, log);
        if (cached is not null) return cached;

        var folder = WeightsCache.DownloadFolder(cacheFolder);
        if (IsOffline()) throw new WeightsUnavailableException(file.FileName, file.Url, folder, $"{OfflineVariable} is set");

        using var downloadLock = AcquireDownloadLock(file, folder, log, cancellation, out var waited);
        // Another process held the lock: it has probably downloaded the file meanwhile.
        if (waited && FindCached(file, cacheFolder, _ => { }) is { } downloaded)
        {
            log($"weights: {downloaded} (downloaded by another process)");
            return downloaded;
        }

        try
        {
            // Resolve is synchronous for its callers; there is no synchronization context in this library's hosts, so blocking is safe.
            if (handler is null) return DownloadAsync(file, folder, SharedClient, log, progress, cancellation).GetAwaiter().GetResult();
            using var client = CreateClient(handler, disposeHandler: false);
            return DownloadAsync(file, folder, client, log, progress, cancellation).GetAwaiter().GetResult();
        }
        catch (Exception e) when (cancellation.IsCancellationRequested && e is not OperationCanceledException)
        {
            // A cancelled read can surface as an I/O error; the caller asked to stop, so that is what it hears.
            throw new OperationCanceledException($"the download of {file.FileName} was cancelled; its .part is kept for the next run", e, cancellation);
        }
    }

    // The HResults .NET gives an IOException for a file locked by another handle: Windows' sharing and lock violations,
    // and on Unix flock's EWOULDBLOCK errno (11 on Linux, 35 on macOS).
    private static readonly int[] LockedHResults = [unchecked((int)0x80070020), unchecked((int)0x80070021), 11, 35];

    /// <summary>How long a process waits for another one downloading the same file before giving up.</summary>
    public static readonly TimeSpan LockWaitTimeout = TimeSpan.FromMinutes(30);

    /// <summary>
    /// An exclusive lock on <c>&lt;name&gt;.lock</c> beside the download, held from the first byte to the rename, so that two
    /// processes never write, verify or rename the same <c>.part</c>; the second waits, then finds the file cached. The lock
    /// file itself is left in place (deleting it would let a third process lock a different file of the same name).
    /// </summary>
    private static FileStream AcquireDownloadLock(WeightsFile file, string folder, Action<string> log, CancellationToken cancellation, out bool waited)
    {
        waited = false;
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{folder}: the weights cache folder could not be created ({FirstLine(e)}).", e);
        }
        var path = Path.Combine(folder, file.FileName + ".lock");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive lock (flock on Unix), released by the OS if this process dies.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (LockedHResults.Contains(e.HResult) && clock.Elapsed < LockWaitTimeout)
            {
                if (!waited) log($"waiting for another process downloading {file.FileName} ({path} is locked)");
                waited = true;
                cancellation.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
                cancellation.ThrowIfCancellationRequested();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"{path}: could not be locked ({FirstLine(e)}); another process may be downloading {file.FileName}.", e);
            }
        }
    }

    /// <summary>True when <c>TL_OFFLINE</c> is set to anything but empty, <c>0</c>, <c>false</c> or <c>no</c>.</summary>
    public static bool IsOffline()
    {
        var value = Environment.GetEnvironmentVariable(OfflineVariable)?.Trim();
        return !string.IsNullOrEmpty(value) && value != "0"
            && !value.Equals("false", StringComparison.OrdinalIgnoreCase) && !value.Equals("no", StringComparison.OrdinalIgnoreCase);
    }

    private static HttpClient CreateClient(HttpMessageHandler handler, bool disposeHandler)
    {
        // With ResponseHeadersRead, Timeout covers only the wait for headers; the body has its own idle timeout.
        var client = new HttpClient(handler, disposeHandler) { Timeout = ResponseTimeout };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("TransferLearning", typeof(WeightsResolver).Assembly.GetName().Version?.ToString(3) ?? "0"));
        return client;
    }

    private static string? FindCached(WeightsFile file, string? cacheFolder, Action<string> log)
    {
        foreach (var folder in WeightsCache.SearchFolders(cacheFolder))
        {
            var path = Path.Combine(folder, file.FileName);
            if (!File.Exists(path)) continue;
            string? problem;
            try
            {
                // An empty file is never a weights file (an interrupted copy by hand), even when there is no hash to say so.
                problem = new FileInfo(path).Length == 0 ? "is empty"
                    : file.Verify(path) ? null
                    : $"does not match its {file.HashAlgorithm} checksum {file.Hash}";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log($"warning: {path} cannot be read ({FirstLine(e)}); skipped");
                continue;
            }
            if (problem is null)
            {
                log($"weights: {path} ({(file.Hash is null ? "no checksum known, not verified" : $"{file.HashAlgorithm} verified")})");
                return path;
            }
            if (WeightsCache.IsKerasFolder(folder)) log($"warning: {path} {problem}; skipped (left in place: it is Keras' cache)");
            else MoveAside(path, problem, log);
        }
        return null;
    }

    // Renamed, not deleted: a file someone copied by hand may be worth a look, and it no longer shadows the good copy.
    private static void MoveAside(string path, string problem, Action<string> log)
    {
        var aside = path + ".corrupt";
        try
        {
            File.Move(path, aside, overwrite: true);
            log($"warning: {path} {problem}; moved aside to {aside}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log($"warning: {path} {problem}; skipped (could not be moved aside: {FirstLine(e)})");
        }
    }

    private static async Task<string> DownloadAsync(WeightsFile file, string folder, HttpClient client, Action<string> log,
        Action<long, long?>? progress, CancellationToken cancellation)
    {
        var final = Path.Combine(folder, file.FileName);
        var part = final + ".part";
        long bytes;
        FileStream output;
        try
        {
            output = new FileStream(part, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None, BufferSize);
            // Without a checksum nothing could tell a stale .part (an older version of the file) from a good start: no resume.
            if (file.Hash is null && output.Length > 0)
            {
                log($"{part}: not resumed, since without a checksum the joined file could not be verified; downloading from the beginning");
                Truncate(output, part);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{part}: could not be opened for writing ({FirstLine(e)}); another process may be downloading {file.FileName}.", e);
        }
        using (output)
        {
            log(output.Length > 0
                ? $"resuming the download of {file.FileName} from {file.Url} at {output.Length:N0} bytes"
                : $"downloading {file.FileName} from {file.Url} to {folder}");
            bytes = await FetchAsync(file, folder, part, output, client, log, progress, cancellation).ConfigureAwait(false);
        }

        if (file.Hash is null)
        {
            log($"warning: no checksum is known for {file.FileName}; the download ({bytes:N0} bytes) could not be verified");
        }
        else
        {
            var algorithm = file.HashAlgorithm!;
            var actual = WeightsFile.ComputeHash(part, algorithm);
            if (!string.Equals(actual, file.Hash, StringComparison.OrdinalIgnoreCase))
            {
                // A bad .part must not be resumed next time: it would never verify.
                TryDelete(part);
                throw new WeightsUnavailableException(file.FileName, file.Url, folder,
                    $"the downloaded file's {algorithm} is {actual}, expected {file.Hash}; the download was deleted");
            }
        }

        try
        {
            File.Move(part, final, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{final}: the downloaded weights could not be moved into place ({FirstLine(e)}); the download is kept in {part}.", e);
        }
        log($"downloaded {file.FileName} ({bytes:N0} bytes{(file.Hash is null ? "" : $", {file.HashAlgorithm} verified")}) to {final}");
        return final;
    }

    /// <summary>Writes the file's bytes to <paramref name="output"/>, resuming from its current length when the server allows; returns the total length.</summary>
    private static async Task<long> FetchAsync(WeightsFile file, string folder, string part, FileStream output, HttpClient client,
        Action<string> log, Action<long, long?>? progress, CancellationToken cancellation)
    {
        var existing = output.Length;
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, file.Url);
            if (existing > 0) request.Headers.Range = new RangeHeaderValue(existing, null);
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
            }
            catch (Exception e) when (IsNetworkFailure(e, cancellation))
            {
                throw Unavailable(file, folder, Describe(e, client), e);
            }

            using (response)
            {
                var status = response.StatusCode;
                var range = response.Content.Headers.ContentRange;
                if (existing > 0 && attempt == 0 && (status == HttpStatusCode.OK || status == HttpStatusCode.RequestedRangeNotSatisfiable
                        || (status == HttpStatusCode.PartialContent && range?.From != existing)))
                {
                    // 200: the server ignores Range; 416: the .part is already as long as the file, or longer; a 206 for another
                    // offset cannot be appended. In every case the .part cannot be trusted to continue: start again from zero.
                    log($"the server did not resume {file.FileName} (HTTP {(int)status}); starting again from the beginning");
                    Truncate(output, part);
                    existing = 0;
                    if (status != HttpStatusCode.OK) continue;
                }
                else if (status == HttpStatusCode.PartialContent ? range?.From != existing : !response.IsSuccessStatusCode)
                {
                    throw Unavailable(file, folder, status == HttpStatusCode.PartialContent
                        ? $"the server sent an unexpected range {range}"
                        : $"HTTP {(int)status} {response.ReasonPhrase}");
                }

                long? total = status == HttpStatusCode.PartialContent
                    ? range?.Length ?? existing + response.Content.Headers.ContentLength
                    : response.Content.Headers.ContentLength;
                return await CopyAsync(file, folder, part, response, output, existing, total, progress, cancellation).ConfigureAwait(false);
            }
        }
    }

    private static async Task<long> CopyAsync(WeightsFile file, string folder, string part, HttpResponseMessage response, FileStream output,
        long received, long? total, Action<long, long?>? progress, CancellationToken cancellation)
    {
        output.Position = received;
        Stream body;
        try
        {
            body = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (IsNetworkFailure(e, cancellation))
        {
            throw Unavailable(file, folder, Describe(e, null), e);
        }

        await using (body.ConfigureAwait(false))
        {
            var buffer = new byte[BufferSize];
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            progress?.Invoke(received, total);
            while (true)
            {
                idle.CancelAfter(ReadIdleTimeout);
                int count;
                try
                {
                    count = await body.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException e) when (!cancellation.IsCancellationRequested)
                {
                    throw Unavailable(file, folder, $"no data for {ReadIdleTimeout.TotalSeconds:0} s after {received:N0} bytes; run again to resume", e);
                }
                catch (Exception e) when (IsNetworkFailure(e, cancellation))
                {
                    throw Unavailable(file, folder, $"the connection broke after {received:N0} bytes: {FirstLine(e)}; run again to resume", e);
                }
                if (count == 0) break;
                WriteToPart(part, () => output.Write(buffer, 0, count));
                received += count;
                progress?.Invoke(received, total);
            }
            if (total is long expected && received != expected)
                throw Unavailable(file, folder, $"the connection closed after {received:N0} of {expected:N0} bytes; run again to resume");
        }
        // On disk before the rename, so a power cut cannot leave a whole-looking file with missing bytes.
        WriteToPart(part, () => output.Flush(flushToDisk: true));
        return received;
    }

    private static void Truncate(FileStream output, string part) => WriteToPart(part, () =>
    {
        output.SetLength(0);
        output.Position = 0;
    });

    // Disk errors are not network errors: they get their own IOException naming the file, and no "download elsewhere" advice.
    private static void WriteToPart(string part, Action write)
    {
        try
        {
            write();
        }
        catch (IOException e)
        {
            throw new IOException($"{part}: could not be written ({FirstLine(e)}).", e);
        }
    }

    // Timeouts surface as TaskCanceledException; they are network failures unless the caller itself cancelled.
    // Once the caller has cancelled, every failure is the cancellation (an aborted read may surface as an IOException).
    private static bool IsNetworkFailure(Exception e, CancellationToken cancellation) =>
        !cancellation.IsCancellationRequested
        && e is HttpRequestException or IOException or System.Net.Sockets.SocketException or OperationCanceledException;

    private static string Describe(Exception e, HttpClient? client) =>
        e is OperationCanceledException
            ? client is null ? "timed out" : $"no answer within {client.Timeout.TotalSeconds:0} s"
            : FirstLine(e);

    private static WeightsUnavailableException Unavailable(WeightsFile file, string folder, string reason, Exception? inner = null) =>
        new(file.FileName, file.Url, folder, reason, inner);

    private static string FirstLine(Exception e) => e.Message.Split('\n', 2)[0].Trim().TrimEnd('.');

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
