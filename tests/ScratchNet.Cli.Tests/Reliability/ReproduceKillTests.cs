using ScratchNet.Runs;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Reliability;

/// <summary>
/// `reproduce` SIGKILLed with its workers in the middle of the plan, then run again: the rerun finishes the plan and ends
/// with the same report as an uninterrupted reproduce (the same reference table and verdicts, the same trained models).
/// On the real CLI and data, with --quick so CI can afford two reproductions.
/// </summary>
public sealed class ReproduceKillTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("scratchnet-reproducekill-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string[] Reproduce(string output) =>
        ["reproduce", "--quick", "--fashion-mnist", Data.RealData.RequireFashionMnist(), "--ames", Data.RealData.RequireAmes(), "--out", Path.Combine(_root, output)];

    private string Runs(string output) => Path.Combine(_root, output, "runs", "scratch");

    [Fact]
    public void A_reproduce_killed_mid_plan_and_rerun_finishes_the_plan_with_the_same_report()
    {
        var whole = CliProcess.Run(_root, Reproduce("whole"));
        Assert.True(whole.ExitCode == 0, whole.ToString());

        // Kill the whole tree once some runs have finished and others are mid-way (a checkpoint, no model yet).
        var killed = CliProcess.Start(_root, Reproduce("killed"));
        var deadline = DateTime.UtcNow.AddSeconds(120);
        bool MidPlan() => Directory.Exists(Runs("killed")) &&
            Directory.GetDirectories(Runs("killed")).Count(d => File.Exists(Path.Combine(d, RunFolder.ModelFile))) >= 2 &&
            Directory.GetDirectories(Runs("killed")).Any(d => File.Exists(Path.Combine(d, RunFolder.CheckpointFile)) && !File.Exists(Path.Combine(d, RunFolder.ModelFile)));
        while (!MidPlan() && !killed.HasExited && DateTime.UtcNow < deadline)
            Thread.Sleep(10);
        Assert.False(killed.HasExited, "reproduce --quick finished before it could be killed:\n" + killed);
        killed.Kill(entireProcessTree: true);
        killed.Dispose();
        var finished = Directory.GetDirectories(Runs("killed")).Count(d => File.Exists(Path.Combine(d, RunFolder.ModelFile)));
        log.WriteLine($"killed reproduce with {finished} of 17 runs finished");
        Assert.InRange(finished, 2, 16);
        Assert.False(File.Exists(Path.Combine(_root, "killed", "report", "report.md")), "the killed reproduce must not have reached its report");

        var rerun = CliProcess.Run(_root, Reproduce("killed"));
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Contains("skipped", rerun.Output, StringComparison.Ordinal); // the finished runs were not trained again

        var names = Directory.GetDirectories(Runs("whole")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(17, names.Count);
        Assert.Equal(names, Directory.GetDirectories(Runs("killed")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var name in names)
        {
            RunFolderChecks.AssertCompletedAndClean(Path.Combine(Runs("killed"), name!), RunFolder.ReadManifest(Path.Combine(Runs("whole"), name!)).Options.Epochs);
            Assert.True(File.ReadAllBytes(Path.Combine(Runs("whole"), name!, RunFolder.ModelFile))
                .SequenceEqual(File.ReadAllBytes(Path.Combine(Runs("killed"), name!, RunFolder.ModelFile))), $"{name}: the resumed plan trained another model");
        }
        Assert.Equal(ReferenceTable("whole"), ReferenceTable("killed"));
    }

    // The report's comparison with the reference: every reproduced number, difference and verdict (no times in it).
    private string ReferenceTable(string output)
    {
        var markdown = File.ReadAllText(Path.Combine(_root, output, "report", "report.md"));
        var start = markdown.IndexOf("## Reproduced numbers vs the report", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{output}: report.md has no reference table");
        var end = markdown.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return markdown[start..end];
    }
}
