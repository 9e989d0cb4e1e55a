using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Security.Cryptography;
using TorchSharp;

namespace TransferLearning.Runtime;

/// <summary>
/// Makes TorchSharp's native backend load on systems whose libstdc++ is older than the one it was
/// built against (Debian 12, Ubuntu 22.04), without sudo and without touching the NuGet cache.
/// </summary>
/// <remarks>
/// How: a handler on <see cref="AssemblyLoadContext.ResolvingUnmanagedDll"/>, which .NET calls only
/// after its normal probing failed. It then reads <c>libLibTorchSharp.so</c>, compares its symbol-version
/// needs with the libstdc++ this process has loaded, writes a patched copy (see
/// <see cref="SymbolVersionPatch"/>) into a per-user cache keyed by the original's SHA-256, pre-loads the
/// libtorch libraries it needs from the original folder and loads the copy. Where the system is new
/// enough the handler never runs. See docs/native-loading.md.
/// </remarks>
public static class TorchRuntime
{
    private const string LibraryName = "LibTorchSharp";
    private const string LibraryFile = "libLibTorchSharp.so";
    private const string CxxRuntime = "libstdc++.so.6";
    private static readonly object Gate = new();
    private static IntPtr _patchedHandle;
    private static string? _lastFailure;
    private static bool _initialised;

    /// <summary>The environment variable that overrides where patched native libraries are cached.</summary>
    public const string CacheVariable = "TL_NATIVE_CACHE";

    /// <summary>Registers the fallback resolver as soon as this assembly loads.</summary>
#pragma warning disable CA2255 // deliberate in a library: the resolver must be in place before any TorchSharp call, and registering it costs nothing
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => AssemblyLoadContext.Default.ResolvingUnmanagedDll += Resolve;

    /// <summary>
    /// Loads libtorch once; throws <see cref="TorchLoadException"/> with the cause and the fix
    /// instead of TorchSharp's multi-page trace when it cannot.
    /// </summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_initialised) return;
            if (OperatingSystem.IsLinux())
            {
                var original = FindOriginal();
                if (original is not null && !NativeLibrary.TryLoad(original, out _) && LoadPatched(original) == IntPtr.Zero)
                    throw new TorchLoadException($"libtorch could not be loaded: {_lastFailure}");
            }
            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
            }
            catch (Exception e)
            {
                throw new TorchLoadException($"libtorch could not be loaded: {_lastFailure ?? e.Message.Split('\n')[0]}. " +
                    "Check that the TorchSharp-cpu package restored and its runtimes/ folder was copied next to the application.", e);
            }
            _initialised = true;
        }
    }

    /// <summary>True when the patched copy of <c>libLibTorchSharp.so</c> was loaded (the system libstdc++ was too old).</summary>
    public static bool UsedPatchedCopy => _patchedHandle != IntPtr.Zero;

    /// <summary>The folder where patched copies are kept: <c>$TL_NATIVE_CACHE</c>, else the XDG cache, else a temp folder.</summary>
    public static string CacheDirectory()
    {
        var overridden = Environment.GetEnvironmentVariable(CacheVariable);
        if (!string.IsNullOrWhiteSpace(overridden)) return overridden;
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var root = !string.IsNullOrWhiteSpace(xdg) ? xdg : !string.IsNullOrWhiteSpace(home) ? Path.Combine(home, ".cache") : Path.GetTempPath();
        return Path.Combine(root, "transfer-learning", "native");
    }

    private static IntPtr Resolve(Assembly assembly, string name)
    {
        if (!OperatingSystem.IsLinux() || (name != LibraryName && name != LibraryFile)) return IntPtr.Zero;
        lock (Gate)
        {
            var original = FindOriginal();
            return original is null ? IntPtr.Zero : LoadPatched(original);
        }
    }

    private static IntPtr LoadPatched(string original)
    {
        if (_patchedHandle != IntPtr.Zero) return _patchedHandle;
        try
        {
            var image = ElfImage.Read(original);
            var provider = FindLoadedLibrary(CxxRuntime);
            if (provider is null)
            {
                _lastFailure = $"{original} failed to load and {CxxRuntime} could not be found to check why";
                return IntPtr.Zero;
            }
            var patch = SymbolVersionPatch.Plan(image, CxxRuntime, ElfImage.Read(provider));
            if (!patch.IsNeeded)
            {
                _lastFailure = $"{original} failed to load for a reason other than libstdc++ symbol versions: {LoadError(original)}";
                return IntPtr.Zero;
            }
            if (!patch.CanPatch)
            {
                _lastFailure = $"{original} needs {patch.Describe()} from {provider}, which is too old. " +
                    "Install a newer libstdc++ (GCC 13 or later), or put one first on LD_LIBRARY_PATH.";
                return IntPtr.Zero;
            }
            var copy = WritePatchedCopy(original, patch.Apply());
            var folder = Path.GetDirectoryName(original)!;
            foreach (var needed in image.NeededLibraries.Select(n => Path.Combine(folder, n)).Where(File.Exists))
                NativeLibrary.Load(needed);
            _patchedHandle = NativeLibrary.Load(copy);
            return _patchedHandle;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or DllNotFoundException or BadImageFormatException)
        {
            _lastFailure = $"{original}: {e.Message.Split('\n')[0]}";
            return IntPtr.Zero;
        }
    }

    private static string WritePatchedCopy(string original, byte[] patched)
    {
        var key = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(original)))[..16].ToLowerInvariant();
        var folder = Path.Combine(CacheDirectory(), key);
        var target = Path.Combine(folder, LibraryFile);
        if (File.Exists(target) && new FileInfo(target).Length == patched.Length) return target;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{LibraryFile}.{Environment.ProcessId}.tmp");
        File.WriteAllBytes(temp, patched);
        File.Move(temp, target, overwrite: true);
        return target;
    }

    private static string LoadError(string path)
    {
        try { NativeLibrary.Load(path); return "no error on retry"; }
        catch (Exception e) { return e.Message.Split('\n')[0]; }
    }

    /// <summary>Finds TorchSharp's <c>libLibTorchSharp.so</c> where .NET's own probing would look.</summary>
    public static string? FindOriginal()
    {
        var folders = new List<string>();
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchDirs)
            folders.AddRange(searchDirs.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        var rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        foreach (var root in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(typeof(torch).Assembly.Location) ?? "" })
        {
            folders.Add(root);
            folders.Add(Path.Combine(root, "runtimes", rid, "native"));
            folders.Add(Path.Combine(root, "..", "..", "runtimes", rid, "native")); // TorchSharp.dll loaded from the NuGet cache
        }
        return folders.Select(f => Path.GetFullPath(Path.Combine(f, LibraryFile))).FirstOrDefault(File.Exists);
    }

    /// <summary>The path of a shared library this process has mapped, e.g. the libstdc++ the dynamic linker chose.</summary>
    public static string? FindLoadedLibrary(string fileName)
    {
        string? Mapped() => File.ReadLines("/proc/self/maps")
            .Select(line => line.IndexOf('/') is var at && at >= 0 ? line[at..] : null)
            .FirstOrDefault(path => path is not null && Path.GetFileName(path) is var name
                && (name == fileName || name.StartsWith(fileName + ".", StringComparison.Ordinal))); // maps show libstdc++.so.6.0.30
        return Mapped() ?? (NativeLibrary.TryLoad(fileName, out _) ? Mapped() : null);
    }
}
