using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using TransferLearning.Models.Weights;

namespace TransferLearning.Tests.Models;

/// <summary>
/// The weights resolver finds verified files in the three cache folders and downloads (and resumes) from a real local
/// HTTP server. Every test runs in temp folders: the constructor points TL_WEIGHTS_DIR, KERAS_HOME and XDG_CACHE_HOME
/// there and Dispose (xunit's finally) restores them, so the real ~/.keras and ~/.cache are never read or written.
/// </summary>
public sealed class WeightsResolverTests : IDisposable
{
    private const string Name = "tiny_weights_notop.h5";
    private static readonly string[] Variables = [WeightsCache.DirectoryVariable, WeightsCache.KerasHomeVariable, "XDG_CACHE_HOME", WeightsResolver.OfflineVariable];

    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
    private readonly string _root = Directory.CreateTempSubdirectory("tl-weights-test-").FullName;
    private readonly byte[] _content = new byte[300_000];
    private readonly List<string> _log = [];

    public WeightsResolverTests()
    {
        new Random(7).NextBytes(_content);
        Environment.SetEnvironmentVariable(WeightsCache.DirectoryVariable, ProjectDir);
        Environment.SetEnvironmentVariable(WeightsCache.KerasHomeVariable, Path.Combine(_root, "keras"));
        Environment.SetEnvironmentVariable("XDG_CACHE_HOME", Path.Combine(_root, "xdg"));
        Environment.SetEnvironmentVariable(WeightsResolver.OfflineVariable, null);
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private string Explicit => Path.Combine(_root, "explicit");
    private string ProjectDir => Path.Combine(_root, "project");
    private string KerasModels => Path.Combine(_root, "keras", "models");
    private string Sha256 => Convert.ToHexStringLower(SHA256.HashData(_content));
    private string Md5 => Convert.ToHexStringLower(MD5.HashData(_content));

    private static string Put(string folder, byte[] bytes)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, Name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string ClosedPortUrl()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return $"http://127.0.0.1:{port}/{Name}";
    }

    [Fact]
    public void Hash_algorithm_is_detected_from_the_length_as_keras_does()
    {
        Assert.Equal("sha256", new WeightsFile(Name, "http://x", Sha256).HashAlgorithm);
        Assert.Equal("md5", new WeightsFile(Name, "http://x", Md5).HashAlgorithm);
        Assert.Null(new WeightsFile(Name, "http://x", null).HashAlgorithm);
        var path = Put(Explicit, _content);
        Assert.Equal(Sha256, WeightsFile.ComputeHash(path, "sha256"));
        Assert.True(WeightsFile.Verify(path, Sha256.ToUpperInvariant()));
        Assert.False(WeightsFile.Verify(path, Md5[..^1] + (Md5[^1] == '0' ? '1' : '0')));
    }

    [Theory]
    [InlineData("sha256")]
    [InlineData("md5")]
    public void Verified_file_in_the_explicit_folder_is_used_without_connecting(string algorithm)
    {
        var expected = Put(Explicit, _content);
        var handler = new CountingHandler(_content);
        var file = new WeightsFile(Name, ClosedPortUrl(), algorithm == "sha256" ? Sha256 : Md5);

        var path = WeightsResolver.Resolve(file, Explicit, _log.Add, handler: handler);

        Assert.Equal(expected, path);
        Assert.Equal(0, handler.Calls);
        Assert.Contains(_log, l => l.Contains($"{algorithm} verified"));
    }

    [Fact]
    public void File_in_the_project_cache_is_found_when_no_folder_is_given()
    {
        var expected = Put(ProjectDir, _content);
        var path = WeightsResolver.Resolve(new WeightsFile(Name, ClosedPortUrl(), Sha256), null, _log.Add);
        Assert.Equal(expected, path);
    }

    [Fact]
    public void File_in_the_keras_cache_is_found()
    {
        var expected = Put(KerasModels, _content);
        var path = WeightsResolver.Resolve(new WeightsFile(Name, ClosedPortUrl(), Md5), Explicit, _log.Add);
        Assert.Equal(expected, path);
        Assert.False(File.Exists(Path.Combine(Explicit, Name)), "a found file must not be copied");
    }

    [Fact]
    public void Corrupt_file_in_our_cache_is_moved_aside_and_downloaded_again()
    {
        var corrupt = _content.ToArray();
        corrupt[1234] ^= 0xFF;
        var stale = Put(Explicit, corrupt);
        using var server = new TestServer(_content);

        var path = WeightsResolver.Resolve(new WeightsFile(Name, server.Url(Name), Sha256), Explicit, _log.Add);

        Assert.Equal(stale, path);
        Assert.Equal(_content, File.ReadAllBytes(path));
        Assert.Equal(corrupt, File.ReadAllBytes(stale + ".corrupt"));
        Assert.Equal(1, server.Requests);
        Assert.Contains(_log, l => l.Contains("moved aside"));
    }

    [Fact]
    public void Corrupt_file_in_the_keras_cache_is_left_alone()
    {
        var corrupt = new byte[] { 1, 2, 3 };
        var kerasCopy = Put(KerasModels, corrupt);
        using var server = new TestServer(_content);

        var path = WeightsResolver.Resolve(new WeightsFile(Name, server.Url(Name), Sha256), Explicit, _log.Add);

        Assert.Equal(Path.Combine(Explicit, Name), path);
        Assert.Equal(_content, File.ReadAllBytes(path));
        Assert.Equal(corrupt, File.ReadAllBytes(kerasCopy));
        Assert.False(File.Exists(kerasCopy + ".corrupt"));
    }

    [Fact]
    public void Downloads_into_the_project_cache_with_progress()
    {
        using var server = new TestServer(_content);
        var progress = new List<(long Done, long? Total)>();

        var path = WeightsResolver.Resolve(new WeightsFile(Name, server.Url(Name), Sha256), null, _log.Add, (d, t) => progress.Add((d, t)));

        Assert.Equal(Path.Combine(ProjectDir, Name), path);
        Assert.Equal(_content, File.ReadAllBytes(path));
        Assert.False(File.Exists(path + ".part"));
        Assert.Equal([null], server.RangeHeaders);
        Assert.True(progress.Count >= 3, $"expected several progress reports, got {progress.Count}");
        Assert.Equal((_content.Length, (long?)_content.Length), progress[^1]);
        Assert.True(progress.Zip(progress.Skip(1)).All(p => p.First.Done <= p.Second.Done), "progress must not go backwards");
    }

    [Fact]
    public void Cancelling_a_download_keeps_the_partial_file_for_the_next_call()
    {
        using var server = new TestServer(_content);
        using var stop = new CancellationTokenSource();
        var file = new WeightsFile(Name, server.Url(Name), Sha256);

        Assert.ThrowsAny<OperationCanceledException>(() =>
            WeightsResolver.Resolve(file, Explicit, _log.Add, (done, _) => { if (done > 0) stop.Cancel(); }, cancellation: stop.Token));

        var part = Path.Combine(Explicit, Name + ".part");
        Assert.True(File.Exists(part), "the partial download must be kept");
        Assert.False(File.Exists(Path.Combine(Explicit, Name)));
        var kept = new FileInfo(part).Length;
        Assert.InRange(kept, 1, _content.Length - 1);

        var path = WeightsResolver.Resolve(file, Explicit, _log.Add);
        Assert.Equal(_content, File.ReadAllBytes(path));
        Assert.Equal($"bytes={kept}-", server.RangeHeaders.Last());
    }

    [Fact]
    public void Progress_log_reports_each_tenth_once()
    {
        var lines = new List<string>();
        var report = WeightsResolver.LogProgress(Name, lines.Add);

        foreach (var done in new long[] { 0, 50, 99, 100, 150, 990, 1000 }) report(done, 1000);

        Assert.Equal(["0%", "10%", "90%", "100%"], lines.Select(l => l.Split(' ')[2]));
        Assert.All(lines, l => Assert.StartsWith($"downloading {Name}: ", l));
    }

    [Fact]
    public void Resumes_a_partial_download_with_a_range_request()
    {
        const int already = 100_000;
        Directory.CreateDirectory(Explicit);
        File.WriteAllBytes(Path.Combine(Explicit, Name + ".part"), _content[..already]);
        using var server = new TestServer(_content);
        var progress = new List<long>();

        var path = WeightsResolver.Resolve(new WeightsFile(Name, server.Url(Name), Sha256), Explicit, _log.Add, (d, _) => progress.Add(d));

        Assert.Equal([$"bytes={already}-"], server.RangeHeaders);
        Assert.Equal(_content.Length - already, server.BytesSent);
        Assert.Equal(_content, File.ReadAllBytes(path));
        Assert.True(WeightsFile.Verify(path, Sha256));
        Assert.False(File.Exists(path + ".part"));
        Assert.Equal(already, progress[0]);
    }

    [Fact]
    public void Restarts_from_zero_when_the_server_ignores_the_range()
    {
        Directory.CreateDirectory(Explicit);
        // A .part longer than the file, of wrong bytes: any of them kept (appended to, or not truncated) fails the checksum.
        var stale = new byte[_content.Length + 5000];
        File.WriteAllBytes(Path.Combine(Explicit, Name + ".part"), stale);
        using var server = new TestServer(_content, honourRange: false);

        var path = WeightsResolver.Resolve(new WeightsFile(Name, server.Url(Name), Md5), Explicit, _log.Add);

        Assert.Equal([$"bytes={stale.Length}-"], server.RangeHeaders);
        Assert.Equal(_content, File.ReadAllBytes(path));
    }

    [Fact]
    public void Restarts_from_zero_when_the_part_is_as_long_as_the_file()
    {
        Directory.CreateDirectory(Explicit);
        File.WriteAllBytes(Path.Combine(Explicit, Name + ".part"), new byte[_content.Length]);
        using var server = new TestServer(_content);

        var path = WeightsResolver.Resolve(new WeightsFile(Name, server.Url(Name), Sha256), Explicit, _log.Add);

        Assert.Equal([$"bytes={_content.Length}-", null], server.RangeHeaders);
        Assert.Equal(_content, File.ReadAllBytes(path));
    }

    [Fact]
    public void Checksum_mismatch_after_download_throws_and_leaves_nothing()
    {
        using var server = new TestServer(_content);
        var wrong = Convert.ToHexStringLower(SHA256.HashData(new byte[] { 42 }));

        var e = Assert.Throws<WeightsUnavailableException>(() =>
            WeightsResolver.Resolve(new WeightsFile(Name, server.Url(Name), wrong), Explicit, _log.Add));

        Assert.Contains(wrong, e.Message);
        Assert.Contains(Sha256, e.Message);
        Assert.False(File.Exists(Path.Combine(Explicit, Name)));
        Assert.False(File.Exists(Path.Combine(Explicit, Name + ".part")));
    }

    [Fact]
    public void Download_without_a_checksum_works_and_warns()
    {
        using var server = new TestServer(_content);
        var path = WeightsResolver.Resolve(new WeightsFile(Name, server.Url(Name), null), Explicit, _log.Add);
        Assert.Equal(_content, File.ReadAllBytes(path));
        Assert.Contains(_log, l => l.StartsWith("warning: no checksum", StringComparison.Ordinal));
    }

    [Fact]
    public void A_connection_dropped_mid_file_keeps_the_part_and_the_next_call_resumes_it()
    {
        using var server = new TestServer(_content, cutFirstAfter: 100_000);
        var file = new WeightsFile(Name, server.Url(Name), Sha256);

        var e = Assert.Throws<WeightsUnavailableException>(() => WeightsResolver.Resolve(file, Explicit, _log.Add));
        Assert.Contains("run again to resume", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        var kept = new FileInfo(Path.Combine(Explicit, Name + ".part")).Length;
        Assert.InRange(kept, 1, 100_000);
        Assert.False(File.Exists(Path.Combine(Explicit, Name)));

        var path = WeightsResolver.Resolve(file, Explicit, _log.Add);
        Assert.Equal(_content, File.ReadAllBytes(path));
        Assert.Equal($"bytes={kept}-", server.RangeHeaders.Last());
    }

    [Fact]
    public void A_blank_checksum_is_no_checksum()
    {
        using var server = new TestServer(_content);
        var path = WeightsResolver.Resolve(new WeightsFile(Name, server.Url(Name), "  "), Explicit, _log.Add);
        Assert.Equal(_content, File.ReadAllBytes(path));
        Assert.Contains(_log, l => l.StartsWith("warning: no checksum", StringComparison.Ordinal));
    }

    [Fact]
    public void A_partial_file_without_a_checksum_is_not_resumed()
    {
        // It may be the start of an older version of the file: joined to the new tail, nothing could tell.
        using var server = new TestServer(_content);
        Directory.CreateDirectory(Explicit);
        File.WriteAllBytes(Path.Combine(Explicit, Name + ".part"), new byte[1000]);

        var path = WeightsResolver.Resolve(new WeightsFile(Name, server.Url(Name), null), Explicit, _log.Add);

        Assert.Equal(_content, File.ReadAllBytes(path));
        Assert.Equal([null], server.RangeHeaders);
    }

    [Fact]
    public async Task A_second_process_waits_for_the_first_download_and_uses_its_file()
    {
        using var server = new TestServer(_content);
        Directory.CreateDirectory(Explicit);
        var file = new WeightsFile(Name, server.Url(Name), Sha256);
        string resolved;
        // Another process holds the download lock (an exclusive handle, as WeightsResolver takes it) ...
        using (var otherProcess = new FileStream(Path.Combine(Explicit, Name + ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var waiting = Task.Run(() => WeightsResolver.Resolve(file, Explicit, _log.Add));
            Assert.True(SpinWait.SpinUntil(() => _log.Any(l => l.StartsWith("waiting for another process", StringComparison.Ordinal)), 10_000));
            Assert.False(waiting.IsCompleted);
            // ... and finishes its download before letting go.
            File.WriteAllBytes(Path.Combine(Explicit, Name), _content);
            otherProcess.Dispose();
            resolved = await waiting.WaitAsync(TimeSpan.FromSeconds(10)); // TimeoutException if Resolve does not return once the lock is released
        }

        Assert.Equal(Path.Combine(Explicit, Name), resolved);
        Assert.Equal(0, server.Requests);
        Assert.Contains(_log, l => l.Contains("downloaded by another process", StringComparison.Ordinal));
    }

    [Fact]
    public void Unreachable_server_gives_a_one_line_message_with_the_way_out()
    {
        var url = ClosedPortUrl();

        var e = Assert.Throws<WeightsUnavailableException>(() =>
            WeightsResolver.Resolve(new WeightsFile(Name, url, Sha256), Explicit, _log.Add));

        Assert.IsAssignableFrom<IOException>(e);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains(Name, e.Message);
        Assert.Contains(url, e.Message);
        Assert.Contains(Explicit, e.Message);
        Assert.Contains("ResNet18", e.Message);
        Assert.False(File.Exists(Path.Combine(Explicit, Name)));
    }

    [Fact]
    public void Http_error_is_reported_as_unavailable()
    {
        using var server = new TestServer(_content);
        var e = Assert.Throws<WeightsUnavailableException>(() =>
            WeightsResolver.Resolve(new WeightsFile("missing.h5", server.Url("missing.h5"), null), Explicit, _log.Add));
        Assert.Contains("HTTP 404", e.Message);
        Assert.False(File.Exists(Path.Combine(Explicit, "missing.h5")));
    }

    [Fact]
    public void Offline_mode_never_connects()
    {
        Environment.SetEnvironmentVariable(WeightsResolver.OfflineVariable, "1");
        var handler = new CountingHandler(_content);

        var e = Assert.Throws<WeightsUnavailableException>(() =>
            WeightsResolver.Resolve(new WeightsFile(Name, "http://127.0.0.1:9/x.h5", Sha256), null, _log.Add, handler: handler));

        Assert.Equal(0, handler.Calls);
        Assert.Contains("TL_OFFLINE is set", e.Message);
        Assert.Contains(ProjectDir, e.Message);
        Assert.Contains("ResNet18", e.Message);
    }

    [Fact]
    public void Given_handler_is_used_for_the_download()
    {
        var handler = new CountingHandler(_content);
        var path = WeightsResolver.Resolve(new WeightsFile(Name, "http://weights.invalid/x.h5", Sha256), Explicit, _log.Add, handler: handler);
        Assert.Equal(1, handler.Calls);
        Assert.Equal(_content, File.ReadAllBytes(path));
    }

    [Fact]
    public void Folders_follow_the_environment_in_order()
    {
        Assert.Equal(ProjectDir, WeightsCache.ProjectFolder());
        Assert.Equal(KerasModels, WeightsCache.KerasFolder());
        Assert.Equal([Explicit, ProjectDir, KerasModels], WeightsCache.SearchFolders(Explicit));
        Assert.Equal(Explicit, WeightsCache.DownloadFolder(Explicit));
        Assert.Equal(ProjectDir, WeightsCache.DownloadFolder(null));

        Environment.SetEnvironmentVariable(WeightsCache.DirectoryVariable, null);
        Assert.Equal(Path.Combine(_root, "xdg", "transfer-learning", "weights"), WeightsCache.ProjectFolder());
    }

    [Fact]
    public void A_leading_tilde_is_the_home_folder_as_Keras_expands_it()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Environment.SetEnvironmentVariable(WeightsCache.KerasHomeVariable, "~/keras-home");
        Environment.SetEnvironmentVariable(WeightsCache.DirectoryVariable, "~");
        Assert.Equal(Path.Combine(home, "keras-home", "models"), WeightsCache.KerasFolder());
        Assert.Equal(Path.TrimEndingDirectorySeparator(home), Path.TrimEndingDirectorySeparator(WeightsCache.ProjectFolder()));
        Assert.Equal(Path.Combine(home, "w"), WeightsCache.DownloadFolder("~/w"));
        Assert.Equal(Path.Combine(home, "w"), new TransferLearning.Spec.ExperimentSpec { BaseDirectory = _root }.Resolve("~/w"));
    }

    [Fact]
    public void File_name_with_a_folder_is_refused()
    {
        Assert.Throws<ArgumentException>(() =>
            WeightsResolver.Resolve(new WeightsFile("../evil.h5", "http://127.0.0.1:9/x", null), Explicit, _log.Add));
    }

    /// <summary>Answers every request with the content (200, no Range support) and counts the calls.</summary>
    private sealed class CountingHandler(byte[] content) : HttpMessageHandler
    {
        public int Calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(content) });
        }
    }

    /// <summary>A real HTTP server on 127.0.0.1 serving one byte array at any path ending in the file name, with Range support.</summary>
    private sealed class TestServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly byte[] _content;
        private readonly bool _honourRange;
        private readonly int? _cutFirstAfter;
        private readonly string _prefix;
        private readonly Task _loop;
        private long _bytesSent;
        private int _requests;

        /// <param name="content">The file served.</param>
        /// <param name="honourRange">Whether Range requests get a 206 (else the whole file with 200).</param>
        /// <param name="cutFirstAfter">Send only this many bytes of the first response, then drop the connection.</param>
        public TestServer(byte[] content, bool honourRange = true, int? cutFirstAfter = null)
        {
            _content = content;
            _honourRange = honourRange;
            _cutFirstAfter = cutFirstAfter;
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            _prefix = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/";
            probe.Stop();
            _listener.Prefixes.Add(_prefix);
            _listener.Start();
            _loop = Task.Run(ServeAsync);
        }

        public ConcurrentQueue<string?> RangeHeaders { get; } = new();
        public long BytesSent => Interlocked.Read(ref _bytesSent);
        public int Requests => Volatile.Read(ref _requests);
        public string Url(string name) => _prefix + name;

        private async Task ServeAsync()
        {
            while (true)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
                Interlocked.Increment(ref _requests);
                var range = context.Request.Headers["Range"];
                RangeHeaders.Enqueue(range);
                var response = context.Response;
                if (!context.Request.Url!.AbsolutePath.EndsWith(Name, StringComparison.Ordinal))
                {
                    response.StatusCode = 404;
                    response.Close();
                    continue;
                }
                var start = _honourRange && range is { } r && r.StartsWith("bytes=", StringComparison.Ordinal) && r.EndsWith('-') ? int.Parse(r[6..^1]) : 0;
                if (start >= _content.Length)
                {
                    response.StatusCode = 416;
                    response.AddHeader("Content-Range", $"bytes */{_content.Length}");
                    response.Close();
                    continue;
                }
                if (start > 0)
                {
                    response.StatusCode = 206;
                    response.AddHeader("Content-Range", $"bytes {start}-{_content.Length - 1}/{_content.Length}");
                }
                response.ContentLength64 = _content.Length - start;
                if (_cutFirstAfter is int cut && _requests == 1)
                {
                    await response.OutputStream.WriteAsync(_content.AsMemory(start, cut));
                    await response.OutputStream.FlushAsync();
                    Interlocked.Add(ref _bytesSent, cut);
                    response.Abort();
                    continue;
                }
                try
                {
                    await response.OutputStream.WriteAsync(_content.AsMemory(start));
                    Interlocked.Add(ref _bytesSent, _content.Length - start);
                    response.Close();
                }
                catch (Exception e) when (e is HttpListenerException or IOException) { response.Abort(); }
            }
        }

        public void Dispose()
        {
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
