using System.Globalization;
using System.Text;

namespace ScratchNet.Cli.Experiments;

/// <summary>
/// The text `sweep --emit-jobs FILE --format lines|slurm` writes. Each configuration is one shell command that trains
/// into its own run folder and is idempotent: it does nothing when that folder's manifest already says Completed, so
/// a rerun of the whole list (after a crash, a preempted node, a second submit) trains only what is missing.
/// <list type="bullet">
/// <item><c>lines</c>: one command per line, for GNU parallel (<c>parallel -j 2 &lt; FILE</c>), run from the repository.</item>
/// <item><c>slurm</c>: an <c>sbatch --array=0-(N-1)</c> script; task i runs command i, from the submit directory.</item>
/// </list>
/// </summary>
internal static class JobScript
{
    public static string Lines(IEnumerable<(string Folder, IReadOnlyList<string> Arguments)> jobs) =>
        string.Concat(jobs.Select(job => Command(job.Folder, job.Arguments) + "\n"));

    public static string Slurm(IReadOnlyList<(string Folder, IReadOnlyList<string> Arguments)> jobs, string logFolder)
    {
        var script = new StringBuilder();
        script.AppendLine("#!/usr/bin/env bash");
        script.AppendLine("#SBATCH --job-name=scratchnet-sweep");
        script.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --array=0-{jobs.Count - 1}");
        script.AppendLine("#SBATCH --ntasks=1");
        script.AppendLine("#SBATCH --cpus-per-task=1");
        script.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --output={Path.Combine(logFolder, "slurm-%A_%a.out")}");
        script.AppendLine("# One ScratchNet configuration per array task, trained into its own run folder; a finished one is skipped.");
        script.AppendLine("# Submit from the repository (sbatch runs tasks in the submit directory); merge: ./scratchnet report --runs <sweep>/runs");
        script.AppendLine("set -euo pipefail");
        script.AppendLine("case \"${SLURM_ARRAY_TASK_ID:?run this script with sbatch --array (or set SLURM_ARRAY_TASK_ID)}\" in");
        foreach (var (job, index) in jobs.Select((job, index) => (job, index)))
            script.AppendLine(CultureInfo.InvariantCulture, $"  {index}) {Command(job.Folder, job.Arguments)} ;;");
        script.AppendLine("  *) echo \"scratchnet sweep: no configuration $SLURM_ARRAY_TASK_ID (0 to " + (jobs.Count - 1).ToString(CultureInfo.InvariantCulture) + ")\" >&2; exit 2 ;;");
        script.AppendLine("esac");
        return script.ToString();
    }

    // grep -qs: a missing manifest (never run) or a folder of an unfinished run trains (afresh); Completed skips.
    private static string Command(string folder, IReadOnlyList<string> arguments) =>
        $"grep -qsE '\"status\": *\"Completed\"' {RunArguments.ShellLine(Path.Combine(folder, "manifest.json"), [])} || {RunArguments.ShellLine("./scratchnet", arguments)}";
}
