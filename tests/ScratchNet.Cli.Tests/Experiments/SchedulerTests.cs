using System.Diagnostics;
using System.Globalization;
using ScratchNet.Tests.Data;
using ScratchNet.Tests.Reliability;

namespace ScratchNet.Tests.Experiments;

/// <summary>
/// `sweep --emit-jobs` run by real schedulers: GNU parallel (-j 2) on the lines, a single-node Slurm
/// (scripts/slurm-single-node.sh) on the sbatch array. Each time the commands are rerun to show they are idempotent, and
/// `report --runs` merges the run folders into the ranking `sweep` itself gives.
/// </summary>
public sealed class SchedulerTests : IDisposable
{
    private static readonly string[] Sweep = ["sweep", "logistic", "--grid", "lr=0.001,0.01,0.1", "--epochs", "1", "--limit", "1000"];
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Gnu_parallel_runs_the_emitted_lines_and_report_ranks_them_as_sweep_does()
    {
        if (!File.Exists("/usr/bin/parallel"))
            Assert.Fail("GNU parallel is missing: apt-get install -y parallel (.ci/run installs it).");
        var jobs = Emit("lines", "jobs.txt");

        var first = Shell("parallel -j 2 < jobs.txt");
        Assert.True(first.Code == 0, first.Error);
        var finished = FinishedTimes();
        var again = Shell("parallel -j 2 < jobs.txt");
        Assert.True(again.Code == 0, again.Error);
        Assert.Equal(finished, FinishedTimes());                 // idempotent: nothing retrained
        Assert.Equal(3, File.ReadAllLines(jobs).Length);

        AssertReportRanksAsSweep();
    }

    [SlurmFact]
    public void Slurm_runs_the_emitted_array_and_report_ranks_it_as_sweep_does()
    {
        Emit("slurm", "jobs.sh");
        var cluster = _dir.File("slurm");
        var script = Path.Combine(TestPaths.RepoRoot, "scripts", "slurm-single-node.sh");
        var start = Shell($"'{script}' start '{cluster}'");
        Assert.True(start.Code == 0, $"the single-node Slurm did not start: {start.Error}");
        try
        {
            var conf = Path.Combine(cluster, "slurm.conf");
            var submit = Shell($"SLURM_CONF='{conf}' timeout 600 sbatch --wait jobs.sh");
            Assert.True(submit.Code == 0, $"sbatch --wait failed ({submit.Code}): {submit.Error} {submit.Output}");
            var finished = FinishedTimes();
            var again = Shell($"SLURM_CONF='{conf}' timeout 600 sbatch --wait jobs.sh");
            Assert.True(again.Code == 0, again.Error);
            Assert.Equal(finished, FinishedTimes());
        }
        finally
        {
            Shell($"'{script}' stop '{cluster}'");
        }
        AssertReportRanksAsSweep();
    }

    // The emitted commands run from the working directory, where ./scratchnet is the CLI built beside the tests.
    private string Emit(string format, string file)
    {
        File.WriteAllText(_dir.File("scratchnet"), $"#!/bin/sh\nexec '{CliProcess.DotnetHostPath}' '{CliProcess.CliDll}' \"$@\"\n");
        Assert.Equal(0, Shell("chmod +x scratchnet").Code);
        var path = _dir.File(file);
        var (code, _, error) = CliRunner.Run([.. Sweep, "--data-dir", RealData.RequireFashionMnist(), "--out", _dir.File("emitted"), "--emit-jobs", path, "--format", format]);
        Assert.True(code == 0, error);
        return path;
    }

    private Dictionary<string, string> FinishedTimes() =>
        Directory.GetFiles(_dir.File("emitted"), "manifest.json", SearchOption.AllDirectories)
            .ToDictionary(path => path, path => ScratchNet.Runs.RunFolder.ReadManifest(Path.GetDirectoryName(path)!).FinishedUtc?.ToString("O") ?? "unfinished");

    private void AssertReportRanksAsSweep()
    {
        var data = RealData.RequireFashionMnist();
        var sweep = CliRunner.Run([.. Sweep, "--data-dir", data, "--out", _dir.File("sweep"), "--jobs", "2"]);
        Assert.True(sweep.Code == 0, sweep.Error);
        // sweep.csv: rank,name,setting,config_hash,dev_accuracy,…,folder
        var ranked = File.ReadAllLines(_dir.File(Path.Combine("sweep", "sweep.csv"))).Skip(1).Select(line => line.Split(','))
            .Select(cells => (Name: Path.GetFileName(cells[^1]), Dev: double.Parse(cells[4], CultureInfo.InvariantCulture).ToString("0.0000", CultureInfo.InvariantCulture)))
            .ToList();

        var report = CliRunner.Run("report", "--runs", _dir.File(Path.Combine("emitted", "runs")), "--data-dir", data, "--out", _dir.File("report"));
        Assert.True(report.Code == 0, report.Error);
        var markdown = File.ReadAllLines(_dir.File(Path.Combine("report", "report.md")));
        var rows = markdown.SkipWhile(line => line.TrimStart('#').Trim() != "Every run").Skip(1)
            .SkipWhile(line => !line.StartsWith('|')).TakeWhile(line => line.StartsWith('|')).Skip(2)
            .Select(line => line.Split('|').Select(cell => cell.Trim()).ToArray())
            .Select(cells => (Name: cells[1], Dev: cells[4]))
            .OrderByDescending(row => row.Dev, StringComparer.Ordinal).ThenBy(row => row.Name, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(ranked, rows);
    }

    private (int Code, string Output, string Error) Shell(string command)
    {
        var start = new ProcessStartInfo("/bin/bash") { WorkingDirectory = _dir.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}

/// <summary>A test that needs Slurm (slurm-wlm, munge) and root to start a single-node cluster: skipped, with the reason, without them.</summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        var missing = new[] { "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/sbin/munged", "/usr/bin/sbatch" }.Where(path => !File.Exists(path)).ToArray();
        if (missing.Length > 0)
            Skip = $"skipped: Slurm cannot start here, {string.Join(", ", missing)} missing (apt-get install -y slurm-wlm munge, as .ci/run does)";
        else if (Environment.UserName != "root")
            Skip = "skipped: a single-node Slurm needs root to start slurmd and munged (CI runs as root)";
    }
}
