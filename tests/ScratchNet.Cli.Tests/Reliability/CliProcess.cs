using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ScratchNet.Tests.Reliability;

/// <summary>
/// The real `scratchnet` CLI as a child process (the ScratchNet.Cli.dll built next to the tests, run by the dotnet
/// host): its output lines as they come, SIGKILL, SIGINT and the exit code.
/// </summary>
internal sealed partial class CliProcess : IDisposable
{
    // a guard against a hang, not a speed bound: a whole reproduce --quick takes ~40 s alone but over 90 s on a shared,
    // loaded machine (seen), where a 90 s guard failed correct runs
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(300);

    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly List<string> _error = [];
    private readonly object _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private CliProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public TimeSpan Elapsed => _clock.Elapsed;

    public string Output
    {
        get
        {
            lock (_gate)
                return string.Join('\n', _output);
        }
    }

    public string Error
    {
        get
        {
            lock (_gate)
                return string.Join('\n', _error);
        }
    }

    /// <summary>The CLI built beside this test assembly; the test fails, saying how to build it, when it is missing.</summary>
    public static string CliDll
    {
        get
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "ScratchNet.Cli.dll");
            var config = Path.Combine(AppContext.BaseDirectory, "ScratchNet.Cli.runtimeconfig.json");
            Assert.True(File.Exists(dll) && File.Exists(config),
                $"{dll} (with its runtimeconfig.json) is missing: build the solution first (dotnet build -c Release, or ./test.sh, which builds everything).");
            return dll;
        }
    }

    /// <summary>The dotnet host that runs the CLI dll.</summary>
    public static string DotnetHostPath => DotnetHost();

    public static CliProcess Start(string workingDirectory, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CliDll);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment.Remove(Cli.Experiments.WorkerProgress.Variable);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        var process = new Process { StartInfo = start };
        var child = new CliProcess(process);
        process.OutputDataReceived += (_, e) => child.Add(child._output, e.Data);
        process.ErrorDataReceived += (_, e) => child.Add(child._error, e.Data);
        Assert.True(process.Start(), $"could not start {start.FileName} {CliDll}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs the CLI to its end and returns it (for the exit code and output).</summary>
    public static CliProcess Run(string workingDirectory, params string[] arguments)
    {
        var child = Start(workingDirectory, arguments);
        child.WaitForExit();
        return child;
    }

    private void Add(List<string> lines, string? line)
    {
        if (line is null)
            return;
        lock (_gate)
        {
            lines.Add(line);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Waits until an output line matches; false when the process ended first or the wait timed out.</summary>
    public bool WaitForLine(Func<string, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Patience);
        lock (_gate)
        {
            var seen = 0;
            while (true)
            {
                for (; seen < _output.Count; seen++)
                {
                    if (match(_output[seen]))
                        return true;
                }
                if (_process.HasExited || DateTime.UtcNow > deadline)
                    return false;
                Monitor.Wait(_gate, TimeSpan.FromMilliseconds(20));
            }
        }
    }

    public int WaitForExit(TimeSpan? patience = null)
    {
        var limit = patience ?? Patience;
        if (!_process.WaitForExit(limit))
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"scratchnet did not exit within {limit.TotalSeconds} s.\nstdout:\n{Output}\nstderr:\n{Error}");
        }
        _process.WaitForExit(); // drains the output events
        return _process.ExitCode;
    }

    public int ExitCode => _process.ExitCode;

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL: no handler, no finally block, no flush runs.</summary>
    public void Kill(bool entireProcessTree = false)
    {
        _process.Kill(entireProcessTree);
        _process.WaitForExit();
    }

    /// <summary>SIGINT, as Ctrl+C sends it.</summary>
    public void Interrupt() => Signal(2);

    /// <summary>Any signal by number (1 SIGHUP, 3 SIGQUIT, 15 SIGTERM, …).</summary>
    public void Signal(int signal)
    {
        AssertNotIgnored(signal, _process.Id);
        Assert.True(SendSignal(_process.Id, signal) == 0, $"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>
    /// Fails at once, naming the cause, when process <paramref name="pid"/> ignores <paramref name="signal"/>: a child
    /// inherits the ignored signals of the test run, and a run started with `nohup` (SIGHUP) or as a background job of a
    /// non-interactive shell (SIGINT, SIGQUIT) would otherwise see the CLI "not stop" (exit 0, or a 300 s wait).
    /// </summary>
    internal static void AssertNotIgnored(int signal, int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status))
            return; // it has exited already, or this is not Linux: nothing to read
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        if (line is null || !ulong.TryParse(line["SigIgn:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, null, out var ignored))
            return;
        Assert.True((ignored & (1UL << (signal - 1))) == 0,
            $"the test's child process ignores signal {signal}, inherited from the test run (started with nohup, or with & from a " +
            "script): run ./test.sh in the foreground of a shell, so signals reach the CLI as they do for a user.");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    public override string ToString() => $"exit {(_process.HasExited ? _process.ExitCode : -1)}\nstdout:\n{Output}\nstderr:\n{Error}";

    // The host running these tests when it is `dotnet`, else the one the dotnet CLI names, else `dotnet` on PATH.
    private static string DotnetHost()
    {
        if (Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet")
            return path;
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
