using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ScratchNet.Benchmarking;

/// <summary>
/// A finished child process: its exit code, wall time, peak RSS (KiB; null off Linux), this process's own RSS when it
/// started the child (KiB), and the child's last error line.
/// </summary>
public sealed record ChildRun(int ExitCode, double WallSeconds, long? PeakRssKiB, long ParentRssKiBAtStart, string LastError);

/// <summary>
/// Runs a child process to the end and reads its peak memory with getrusage(RUSAGE_CHILDREN): ru_maxrss (KiB on Linux)
/// is the largest resident set of all waited-for descendants — the child and the workers it waited for. It is a maximum
/// over the life of this process, so it covers the child exactly when no larger child ran before it. And a child's
/// ru_maxrss starts from its parent's resident set at fork/exec (the kernel folds the address space it replaces into the
/// high-water mark), so the figure is never below <see cref="ChildRun.ParentRssKiBAtStart"/>: start children from a
/// small process to measure them.
/// </summary>
public static partial class ChildProcessUsage
{
    private const int RusageChildren = -1;
    // struct rusage on 64-bit Linux: two struct timeval (2 × 16 bytes), then 14 longs starting with ru_maxrss
    private const int RusageLongs = 18;
    private const int MaxRssIndex = 4;

    public static ChildRun Run(string fileName, IEnumerable<string> arguments, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        var lastError = "";
        var parentRssKiB = Environment.WorkingSet / 1024;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new ScratchNetException($"Could not start {fileName}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrWhiteSpace(e.Data))
                lastError = e.Data;
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            process.WaitForExitAsync(cancellation).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw;
        }
        process.WaitForExit(); // drain the output events
        var seconds = clock.Elapsed.TotalSeconds;
        return new ChildRun(process.ExitCode, seconds, PeakChildRssKiB(), parentRssKiB, lastError);
    }

    /// <summary>ru_maxrss of RUSAGE_CHILDREN in KiB, or null where getrusage is not Linux's.</summary>
    public static long? PeakChildRssKiB()
    {
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess)
            return null;
        Span<long> usage = stackalloc long[RusageLongs];
        return GetRusage(RusageChildren, usage) == 0 ? usage[MaxRssIndex] : null;
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, Span<long> usage);
}
