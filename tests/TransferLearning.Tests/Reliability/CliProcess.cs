using System.Diagnostics;
using System.Text;

namespace TransferLearning.Tests.Reliability;

/// <summary>Runs the real <c>tl</c> (built by the CLI project, same configuration) as a child process.</summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public CliProcess(params string[] args)
    {
        var config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = Path.Combine(ExampleData.Folder, "..", "..", "src", "TransferLearning.Cli", "bin", config, "net10.0", "tl.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"{dll} is missing; build the solution first.", dll);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Waits until the output contains <paramref name="text"/> (or the process ends); true when it appeared.</summary>
    public bool WaitFor(string text, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (Output.Contains(text)) return true;
            if (_process.HasExited) return Output.Contains(text);
            Thread.Sleep(100);
        }
        return false;
    }

    public void Signal(string signal) => Process.Start("kill", ["-" + signal, _process.Id.ToString()])!.WaitForExit();

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) { _process.Kill(true); throw new TimeoutException($"tl did not finish:\n{Output}"); }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(true);
        _process.Dispose();
    }
}
