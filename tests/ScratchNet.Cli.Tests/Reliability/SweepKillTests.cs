using ScratchNet.IO;
using ScratchNet.Runs;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Reliability;

/// <summary>
/// `sweep` (the machinery `reproduce` uses) SIGKILLed with its worker mid-run and rerun, and divergence, on the real CLI
/// with the Ames data (see <see cref="KillResumeTests"/> for why Ames).
/// </summary>
public sealed class SweepKillTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("scratchnet-sweepkill-").FullName;
    private readonly string _ames = Data.RealData.RequireAmes();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string[] Sweep(string model, string grid, int epochs, string output) =>
        ["sweep", model, "--grid", grid, "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
         "--jobs", "1", "--data-dir", _ames, "--out", Path.Combine(_root, output)];

    private string RunFolderOf(string output, string name) => Path.Combine(_root, output, "runs", "scratch", name);

    // sweep.csv without the columns that differ between an uninterrupted and a resumed sweep (time, skipped, folder).
    private IReadOnlyList<string> Results(string output) =>
        [.. File.ReadAllLines(Path.Combine(_root, output, "sweep.csv")).Select(line => string.Join(',', line.Split(',')[..8]))];

    [Fact]
    public void A_sweep_killed_with_its_worker_mid_run_and_rerun_skips_the_finished_run_resumes_the_other_and_ends_identical()
    {
        const int Epochs = 6;
        const string Grid = "lr=0.002";
        var whole = CliProcess.Run(_root, Sweep("neural", Grid, Epochs, "whole"));
        Assert.True(whole.ExitCode == 0, whole.ToString());

        // One worker at a time: base first, then lr0.002. Kill the tree once base is done and lr0.002 has a checkpoint.
        var killed = CliProcess.Start(_root, Sweep("neural", Grid, Epochs, "killed"));
        var second = RunFolderOf("killed", "lr0.002");
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!File.Exists(Path.Combine(second, RunFolder.CheckpointFile)) && !killed.HasExited && DateTime.UtcNow < deadline)
            Thread.Sleep(10);
        Assert.False(killed.HasExited, "the sweep finished before it could be killed:\n" + killed);
        killed.Kill(entireProcessTree: true);
        killed.Dispose();
        var checkpointEpoch = RunFolderChecks.AssertWhole(second);
        RunFolderChecks.AssertCompletedAndClean(RunFolderOf("killed", "base"), Epochs);
        log.WriteLine($"killed the sweep and its worker with lr0.002 at checkpoint epoch {checkpointEpoch}");
        Assert.InRange(checkpointEpoch, 1, Epochs - 1);

        var rerun = CliProcess.Run(_root, Sweep("neural", Grid, Epochs, "killed"));
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Contains("skipped", rerun.Output.Split('\n').Single(l => l.Contains("] ", StringComparison.Ordinal) && l.Contains("base (", StringComparison.Ordinal)), StringComparison.Ordinal);
        var attempts = File.ReadAllText(Path.Combine(second, "log.txt")).Split("run folder:");
        Assert.DoesNotContain($"epoch 1/{Epochs}", attempts[^1], StringComparison.Ordinal); // the rerun resumed lr0.002
        foreach (var name in new[] { "base", "lr0.002" })
        {
            RunFolderChecks.AssertCompletedAndClean(RunFolderOf("killed", name), Epochs);
            Assert.Equal(File.ReadAllBytes(Path.Combine(RunFolderOf("whole", name), RunFolder.ModelFile)),
                File.ReadAllBytes(Path.Combine(RunFolderOf("killed", name), RunFolder.ModelFile)));
        }
        Assert.Equal(Results("whole"), Results("killed"));
    }

    [Fact]
    public void A_worker_whose_sweep_is_sigkilled_stops_itself_as_interrupted_and_releases_the_folder()
    {
        // Only the parent is killed (as the OOM killer would): the worker sees its standard input close and stops.
        var sweep = CliProcess.Start(_root, [.. Sweep("neural", "lr=0.002", 200, "orphan"), "--mode", "grid"]);
        var folder = RunFolderOf("orphan", "lr0.002");
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!File.Exists(Path.Combine(folder, RunFolder.CheckpointFile)) && !sweep.HasExited && DateTime.UtcNow < deadline)
            Thread.Sleep(10);
        Assert.False(sweep.HasExited, "the sweep ended before it could be killed:\n" + sweep);
        sweep.Kill();
        sweep.Dispose();

        deadline = DateTime.UtcNow.AddSeconds(30);
        while (File.Exists(Path.Combine(folder, ".lock")) && DateTime.UtcNow < deadline)
            Thread.Sleep(20);
        Assert.False(File.Exists(Path.Combine(folder, ".lock")), "the orphaned worker still holds the run folder 30 s after its sweep died");
        var manifest = RunFolder.ReadManifest(folder);
        Assert.Equal(RunStatus.Interrupted, manifest.Status);
        Assert.Equal(RunFolderChecks.AssertWhole(folder), manifest.EpochsCompleted);
        Assert.True(manifest.EpochsCompleted < 200, "the worker should have stopped early, not trained to the end");
    }

    [Fact]
    public void Divergence_exits_4_keeping_the_epochs_before_and_a_loadable_checkpoint_and_a_sweep_reports_it_as_a_result()
    {
        // η = 0.05 makes linear regression on Ames overflow in epoch 2, after one good epoch.
        var folder = Path.Combine(_root, "diverged");
        var run = CliProcess.Run(_root, "regress", "linear", "--lr", "0.05", "--epochs", "4", "--data-dir", _ames, "--out", folder);
        Assert.True(run.ExitCode == ExitCodes.Diverged, run.ToString());
        Assert.Contains("diverged", run.Error, StringComparison.Ordinal);
        Assert.Contains("smaller learning rate", run.Error, StringComparison.Ordinal);
        var manifest = RunFolder.ReadManifest(folder);
        Assert.Equal((RunStatus.Diverged, 1), (manifest.Status, manifest.EpochsCompleted));
        Assert.Contains("epoch 2", manifest.Message, StringComparison.Ordinal);
        Assert.Equal([1], RunFolder.ReadMetrics(folder).Select(e => e.Epoch));
        Assert.Equal(1, RunFolderChecks.AssertWhole(folder));
        var checkpoint = SafeTensors.Read(Path.Combine(folder, RunFolder.CheckpointFile));
        Assert.All(checkpoint.Where(t => t.DType == "F64"), t => Assert.All(t.ToDoubles(), v => Assert.True(double.IsFinite(v))));
        Assert.False(File.Exists(Path.Combine(folder, RunFolder.ModelFile)), "a diverged run writes no final model");

        // Diverging in the very first epoch still leaves metrics.csv, which the message points at (header, no rows).
        var early = Path.Combine(_root, "diverged-early");
        var first = CliProcess.Run(_root, "regress", "linear", "--lr", "10", "--epochs", "2", "--data-dir", _ames, "--out", early);
        Assert.True(first.ExitCode == ExitCodes.Diverged, first.ToString());
        Assert.Contains(Path.Combine(early, RunFolder.MetricsFile), first.Error, StringComparison.Ordinal);
        Assert.Empty(RunFolder.ReadMetrics(early));

        // In a sweep it is a result row, not a failure: the sweep exits 0 (7 is for runs that failed).
        var sweep = CliProcess.Run(_root, Sweep("linear", "lr=0.05", 3, "sweep"));
        Assert.True(sweep.ExitCode == ExitCodes.Ok, sweep.ToString());
        var rows = File.ReadAllLines(Path.Combine(_root, "sweep", "sweep.csv"));
        Assert.Contains(rows, row => row.Contains("lr0.05", StringComparison.Ordinal) && row.Contains(",diverged,", StringComparison.Ordinal));
        Assert.Contains(rows, row => row.Contains("base", StringComparison.Ordinal) && row.Contains(",completed,", StringComparison.Ordinal));
    }
}
