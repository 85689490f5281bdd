namespace ScratchNet.Benchmarking;

/// <summary>What a benchmark prints about the machine it ran on (Linux /proc; "unknown" elsewhere).</summary>
public static class MachineInfo
{
    /// <summary>The 1, 5 and 15 minute load averages, e.g. "1.79 1.52 1.40".</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    public static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : "unknown CPU";
}
