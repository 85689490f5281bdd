using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace ScratchNet.Tests.Reliability;

/// <summary>
/// The real `scratchnet` CLI under a pseudo-terminal, as a person at a terminal runs it: util-linux `script` gives the
/// child a pty of a fixed size, so the CLI takes its interactive paths (live progress bars, colours). What a person sees
/// is the byte stream with the ANSI control sequences removed; the exit code is the CLI's own (`script -e`).
/// </summary>
internal sealed partial class TerminalProcess
{
    // a hang guard, not a speed bound (see CliProcess.Patience)
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(300);

    private TerminalProcess(int exitCode, string raw)
    {
        ExitCode = exitCode;
        Raw = raw;
        Screen = AnsiSequence().Replace(raw, "").Replace("\r", "");
    }

    public int ExitCode { get; }

    /// <summary>Everything the terminal received, control sequences included.</summary>
    public string Raw { get; }

    /// <summary>The text a person reads: the terminal stream without ANSI control sequences and carriage returns.</summary>
    public string Screen { get; }

    /// <summary>
    /// Runs the CLI in a <paramref name="columns"/>-wide terminal; <paramref name="interruptAfter"/>, when given, waits
    /// until that text has appeared on the screen and then types Ctrl+C (byte 0x03 on the pty, which the terminal turns
    /// into SIGINT for the foreground process).
    /// </summary>
    public static TerminalProcess Run(string workingDirectory, string[] arguments, int columns = 100, string? interruptAfter = null)
    {
        var script = "/usr/bin/script";
        Assert.True(File.Exists(script), "util-linux `script` is missing (apt-get install bsdutils): it provides the pseudo-terminal of these tests.");
        var command = new StringBuilder($"stty cols {columns} rows 30; exec {Quote(CliProcess.DotnetHostPath)} {Quote(CliProcess.CliDll)}");
        foreach (var argument in arguments)
            command.Append(' ').Append(Quote(argument));
        var start = new ProcessStartInfo(script)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-q", "-e", "-f", "-c", command.ToString(), "/dev/null" })
            start.ArgumentList.Add(argument);
        start.Environment.Remove(Cli.Experiments.WorkerProgress.Variable);
        start.Environment["TERM"] = "xterm-256color";
        start.Environment.Remove("NO_COLOR");
        start.Environment.Remove("CI"); // Spectre.Console treats CI as a non-interactive console

        using var process = Process.Start(start)!;
        if (interruptAfter is not null)
            CliProcess.AssertNotIgnored(2, Environment.ProcessId); // the terminal's child inherits this run's ignored signals
        var output = new StringBuilder();
        var gate = new object();
        var reader = Task.Run(() =>
        {
            var buffer = new char[4096];
            int read;
            while ((read = process.StandardOutput.Read(buffer, 0, buffer.Length)) > 0)
            {
                lock (gate)
                    output.Append(buffer, 0, read);
            }
        });
        var errors = process.StandardError.ReadToEndAsync();
        if (interruptAfter is not null)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (!process.HasExited && DateTime.UtcNow < deadline)
            {
                string seen;
                lock (gate)
                    seen = AnsiSequence().Replace(output.ToString(), "");
                if (seen.Contains(interruptAfter, StringComparison.Ordinal))
                {
                    process.StandardInput.Write('\u0003');
                    process.StandardInput.Flush();
                    break;
                }
                Thread.Sleep(20);
            }
        }
        if (!process.WaitForExit(Patience))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"scratchnet did not exit within {Patience.TotalSeconds} s under a terminal:\n{output}");
        }
        reader.Wait(Patience);
        lock (gate)
            return new TerminalProcess(process.ExitCode, output + errors.Result);
    }

    public override string ToString() => $"exit {ExitCode}\nscreen:\n{Screen}";

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    // CSI sequences (colours, cursor moves, erase), OSC sequences and the two-byte escapes Spectre.Console writes.
    [GeneratedRegex(@"\x1B(\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][A-Za-z0-9]|[=>78])")]
    private static partial Regex AnsiSequence();
}
