using System.Diagnostics;
using System.Globalization;

namespace ScratchNet.Cli.Experiments;

/// <summary>
/// The line protocol a worker process uses to tell its parent (reproduce, sweep) how far it is: when the environment
/// variable <see cref="Variable"/> is set, training prints <c>##progress DONE TOTAL</c> lines (steps over the whole run)
/// to standard output, at most a few times a second.
/// </summary>
public sealed class WorkerProgress
{
    public const string Variable = "SCRATCHNET_WORKER_PROGRESS";
    public const string Prefix = "##progress ";

    private readonly TextWriter _output;
    private readonly Stopwatch _sinceLast = Stopwatch.StartNew();

    /// <summary>Made once per worker run, after the Ctrl+C handler is in place: it also starts <see cref="ParentWatch"/>.</summary>
    public WorkerProgress(TextWriter output)
    {
        _output = output;
        ParentWatch.InterruptWhenParentExits();
    }

    /// <summary>True when this process runs as a worker of reproduce/sweep.</summary>
    public static bool Requested => Environment.GetEnvironmentVariable(Variable) == "1";

    public void Report(long done, long total, bool force = false)
    {
        if (!force && _sinceLast.ElapsedMilliseconds < 250)
            return;
        _sinceLast.Restart();
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Prefix}{done} {total}"));
        _output.Flush();
    }

    /// <summary>Parses a progress line; false for any other line.</summary>
    public static bool TryParse(string line, out long done, out long total)
    {
        done = total = 0;
        if (!line.StartsWith(Prefix, StringComparison.Ordinal))
            return false;
        var parts = line[Prefix.Length..].Split(' ');
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out done)
            && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out total);
    }
}
