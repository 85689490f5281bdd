using ScratchNet.Runs;
using ScratchNet.Tests.Data;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Reliability;

/// <summary>
/// The classifier path of the real CLI on the real Fashion-MNIST files (which the CLI verifies, so no synthetic copy
/// would do): an MLP trained by per-example SGD, SIGKILLed mid-epoch, resumed, SIGINTed, resumed again: weights,
/// metrics and test predictions end byte-identical to an uninterrupted run's.
/// </summary>
public sealed class ClassifierKillTests(ITestOutputHelper log) : IDisposable
{
    private const int Epochs = 9; // one digit (the epoch lines are matched as "epoch N/9"), and enough epochs after each kill for the next signal to land

    private readonly string _root = Directory.CreateTempSubdirectory("scratchnet-classkill-").FullName;
    private readonly string _data = RealData.RequireFashionMnist();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string[] Arguments(string folder, bool resume = false) =>
        // 20,000 examples and 128 hidden units: an epoch's steps take ~0.1 s or more, so a signal 10–60 ms after an epoch
        // line lands inside the next epoch (at 10,000 × 32 a whole epoch could pass before the signal)
        ["classify", "mlp", "--limit", "20000", "--hidden", "128", "--lr", "0.01", "--epochs", Epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
         "--precision", "float64", "--batch-size", "1", "--seed", "3", "--data-dir", _data, "--out", folder, .. resume ? ["--resume"] : Array.Empty<string>()];

    private static byte[] Bytes(string folder, string file) => File.ReadAllBytes(Path.Combine(folder, file));

    [Fact]
    public void Sigkill_then_sigint_mid_epoch_then_resume_ends_with_the_uninterrupted_weights_and_predictions()
    {
        var reference = Path.Combine(_root, "reference");
        var whole = CliProcess.Run(_root, Arguments(reference));
        Assert.True(whole.ExitCode == 0, whole.ToString());

        var folder = Path.Combine(_root, "interrupted");
        var random = new Random(5);
        using (var child = CliProcess.Start(_root, Arguments(folder)))
        {
            Assert.True(child.WaitForLine(line => line.StartsWith($"epoch 1/{Epochs}", StringComparison.Ordinal)), child.ToString());
            var wait = random.Next(10, 60);
            Thread.Sleep(wait);
            Assert.False(child.HasExited, "the run ended before the kill: lengthen it");
            child.Kill();
            log.WriteLine($"SIGKILL {wait} ms after the epoch 1 line");
        }
        Assert.InRange(RunFolderChecks.AssertWhole(folder), 1, Epochs - 1);

        using (var child = CliProcess.Start(_root, Arguments(folder, resume: true)))
        {
            // the resumed run's first epoch line, whichever epoch the kill left it at
            Assert.True(child.WaitForLine(line => line.StartsWith("epoch ", StringComparison.Ordinal)), child.ToString());
            Thread.Sleep(random.Next(10, 60));
            Assert.False(child.HasExited, "the run ended before the interrupt: lengthen it");
            child.Interrupt();
            Assert.True(child.WaitForExit() == ExitCodes.Interrupted, child.ToString());
        }
        var manifest = RunFolder.ReadManifest(folder);
        Assert.Equal(RunStatus.Interrupted, manifest.Status);
        Assert.Equal(RunFolderChecks.AssertWhole(folder), manifest.EpochsCompleted);
        log.WriteLine($"SIGINT: exit 130 after {manifest.EpochsCompleted} epochs");

        var last = CliProcess.Run(_root, Arguments(folder, resume: true));
        Assert.True(last.ExitCode == 0, last.ToString());
        RunFolderChecks.AssertCompletedAndClean(folder, Epochs);
        Assert.Equal(Bytes(reference, RunFolder.ModelFile), Bytes(folder, RunFolder.ModelFile));
        Assert.Equal(Bytes(reference, RunFolder.PredictionsFile), Bytes(folder, RunFolder.PredictionsFile));
        Assert.Equal(RunFolderChecks.MetricsWithoutTimes(reference), RunFolderChecks.MetricsWithoutTimes(folder));
    }
}
