namespace ScratchNet.Reports;

/// <summary>
/// Where a run came from, for grouping runs that belong to no section: the sweep folder that holds it (the folder with
/// <c>sweep.csv</c>, up to three levels above the run) or else the folder the run sits in.
/// </summary>
internal sealed record RunGroup(string Folder, bool IsSweep)
{
    public const string SweepTable = "sweep.csv";
    private const int SearchLevels = 3;

    public string Title => IsSweep ? $"Sweep {Path.GetFileName(Folder)}" : $"Runs in {Path.GetFileName(Folder)}";

    public static RunGroup Of(string runFolder)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(runFolder)) ?? runFolder;
        var folder = parent;
        for (var level = 0; level < SearchLevels && folder is not null; level++, folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(Path.Combine(folder, SweepTable)))
                return new RunGroup(folder, IsSweep: true);
        }
        // reproduce and sweep write runs/<engine>/<name>: the group is the folder that holds runs/.
        if (Enum.TryParse<ScratchNet.Runs.Engine>(Path.GetFileName(parent), ignoreCase: true, out _) &&
            Path.GetDirectoryName(parent) is { } runs && Path.GetFileName(runs) == "runs" && Path.GetDirectoryName(runs) is { } above)
            return new RunGroup(above, IsSweep: false);
        return new RunGroup(parent, IsSweep: false);
    }
}
