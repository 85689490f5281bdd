using System.Collections.Concurrent;
using ScratchNet.Runs;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Reliability;

/// <summary>
/// The real CLI in child processes, SIGKILLed and SIGINTed at seeded moments, then resumed: the run must end
/// byte-identical to an uninterrupted one and no kill may ever leave a torn file. The fixture is the neural regressor on
/// Ames (per-example SGD through a hidden layer, float64; and mini-batch Adam): the CLI accepts only the original
/// Fashion-MNIST files (it checks their SHA-256), whose loading alone takes seconds, while Ames loads in well under one.
/// </summary>
public sealed class KillResumeTests(KillResumeTests.References references, ITestOutputHelper log)
    : IClassFixture<KillResumeTests.References>
{
    private const int Epochs = 6;

    // 600 hidden units: at the default 150 an epoch of Adam took ~0.03 s once the small kernels got faster, and a
    // run could finish before a kill landed (the course init diverges at 600 with per-example SGD, so not there)
    private static readonly string[] AdamConfiguration = ["--batch-size", "16", "--optimizer", "adam", "--hidden", "600"];

    public static TheoryData<string, string[]> Configurations => new()
    {
        { "sgd", ["--batch-size", "1", "--optimizer", "sgd"] },
        { "adam", AdamConfiguration },
    };

    /// <summary>The Ames folder, a scratch root and one uninterrupted run per configuration, made once for the class.</summary>
    public sealed class References : IDisposable
    {
        private readonly ConcurrentDictionary<string, string> _runs = new();

        public string Root { get; } = Directory.CreateTempSubdirectory("scratchnet-kill-").FullName;

        public string AmesDir { get; } = Data.RealData.RequireAmes();

        public string[] Arguments(string[] configuration, string folder, int epochs = Epochs) =>
            ["regress", "neural", "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--precision", "float64",
             "--seed", "7", .. configuration, "--data-dir", AmesDir, "--out", folder];

        /// <summary>The folder of the uninterrupted run of <paramref name="configuration"/>.</summary>
        public string Reference(string name, string[] configuration) => _runs.GetOrAdd(name, _ =>
        {
            var folder = Path.Combine(Root, "reference-" + name);
            var run = CliProcess.Run(Root, Arguments(configuration, folder));
            Assert.True(run.ExitCode == 0, run.ToString());
            RunFolderChecks.AssertCompletedAndClean(folder, Epochs);
            return folder;
        });

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }

    private string Folder(string name) => Path.Combine(references.Root, name);

    private static byte[] Model(string folder) => File.ReadAllBytes(Path.Combine(folder, RunFolder.ModelFile));

    private static bool IsEpochLine(string line, int epoch) => line.StartsWith($"epoch {epoch}/{Epochs}", StringComparison.Ordinal);

    // Resumes when a checkpoint exists, else starts afresh (what `reproduce` and `sweep` do too).
    private CliProcess Continue(string[] configuration, string folder)
    {
        var resume = File.Exists(Path.Combine(folder, RunFolder.CheckpointFile));
        return CliProcess.Start(references.Root, [.. references.Arguments(configuration, folder), .. resume ? ["--resume"] : Array.Empty<string>()]);
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Sigkilled_at_seeded_moments_then_resumed_ends_byte_identical_to_an_uninterrupted_run(string name, string[] configuration)
    {
        var reference = references.Reference(name, configuration);
        var epochSeconds = RunFolder.ReadMetrics(reference).Select(e => e.Seconds).ToArray();
        var folder = Folder("killed-" + name);
        var random = new Random(name == "sgd" ? 8 : 9);
        var kills = new List<string>();

        // 1. During startup: the data is loading, the folder may not even exist yet.
        using (var child = Continue(configuration, folder))
        {
            Thread.Sleep(random.Next(50, 400));
            KillAndCheck(child, folder, kills, $"startup, {child.Elapsed.TotalMilliseconds:0} ms after launch");
        }
        if (!File.Exists(Path.Combine(folder, RunFolder.CheckpointFile)) && Directory.Exists(folder))
        {
            var refused = CliProcess.Run(references.Root, [.. references.Arguments(configuration, folder), "--resume"]);
            Assert.True(refused.ExitCode == ExitCodes.Usage, refused.ToString());
            Assert.Contains("does not exist (no epoch of this run finished); run without --resume instead.", refused.Error, StringComparison.Ordinal);
        }

        // 2. Right after a checkpoint: the epoch line is printed once checkpoint, metrics and manifest are written.
        var afterEpoch = random.Next(1, 3);
        using (var child = Continue(configuration, folder))
        {
            Assert.True(child.WaitForLine(line => IsEpochLine(line, afterEpoch)), child.ToString());
            KillAndCheck(child, folder, kills, $"right after the epoch {afterEpoch} checkpoint");
        }
        // What a kill between a write and its rename leaves: half a checkpoint under the temporary name of a dead pid.
        // The next run, holding the lock, deletes it (checked by AssertCompletedAndClean at the end).
        var checkpoint = File.ReadAllBytes(Path.Combine(folder, RunFolder.CheckpointFile));
        File.WriteAllBytes(Path.Combine(folder, $".{RunFolder.CheckpointFile}.999999.{Guid.NewGuid():N}.tmp"), checkpoint[..(checkpoint.Length / 2)]);

        // 3 and 4. Mid-epoch: a seeded fraction of the next epoch's duration after the previous epoch ended.
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var resumedFrom = RunFolderChecks.AssertWhole(folder);
            if (resumedFrom >= Epochs - 1)
                break;
            using var child = Continue(configuration, folder);
            var fraction = 0.2 + (0.6 * random.NextDouble());
            string? epochLine = null;
            Assert.True(child.WaitForLine(line => IsEpochLine(epochLine = line, resumedFrom + 1)), child.ToString());
            // the child's own epoch time (the line ends "… 0.31 s"), so a load that differs from the reference run's
            // cannot make the kill land after the run has finished
            var wait = TimeSpan.FromSeconds(fraction * Math.Min(epochSeconds[resumedFrom + 1], EpochSeconds(epochLine!)));
            Thread.Sleep(wait);
            KillAndCheck(child, folder, kills, $"{wait.TotalMilliseconds:0} ms ({fraction:P0} of a reference epoch) into epoch {resumedFrom + 2}");
        }

        // Resume until it completes.
        for (var attempt = 0; !IsCompleted(folder); attempt++)
        {
            Assert.True(attempt < 3, "the run did not complete after three resumes");
            using var child = Continue(configuration, folder);
            Assert.True(child.WaitForExit() == 0, child.ToString());
        }

        foreach (var kill in kills)
            log.WriteLine("killed: " + kill);
        Assert.True(kills.Count >= 3, $"only {kills.Count} kills landed while the process ran: {string.Join("; ", kills)}");
        RunFolderChecks.AssertCompletedAndClean(folder, Epochs);
        Assert.Equal(Model(reference), Model(folder));
        Assert.Equal(RunFolderChecks.MetricsWithoutTimes(reference), RunFolderChecks.MetricsWithoutTimes(folder));
    }

    private static double EpochSeconds(string epochLine) =>
        double.Parse(epochLine.Split("  ")[^1].TrimEnd('s', ' '), System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsCompleted(string folder) =>
        File.Exists(Path.Combine(folder, RunFolder.ManifestFile)) && RunFolder.ReadManifest(folder).Status == RunStatus.Completed;

    private static void KillAndCheck(CliProcess child, string folder, List<string> kills, string moment)
    {
        if (child.HasExited)
            return; // it finished before the kill: nothing to survive
        child.Kill();
        kills.Add(moment);
        RunFolderChecks.AssertWhole(folder);
        if (Directory.Exists(folder))
            Assert.True(File.Exists(Path.Combine(folder, ".lock")), "a SIGKILLed owner leaves its .lock file (the next run must not mind)");
        if (File.Exists(Path.Combine(folder, RunFolder.ManifestFile)))
        {
            // SIGKILL leaves no chance to write more: the file says Running, readers see that no process owns it
            Assert.Equal(RunStatus.Running, RunManifest.Read(Path.Combine(folder, RunFolder.ManifestFile)).Status);
            Assert.StartsWith(RunFolder.ProcessGone, RunFolder.ReadManifest(folder).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Sigint_mid_epoch_exits_130_as_interrupted_and_resume_ends_byte_identical()
    {
        // the adam configuration (~0.3 s per epoch): the sgd one's epochs take 10–40 ms on a quiet machine, and its last
        // four could finish before the interrupt landed (seen: exit 0)
        var configuration = AdamConfiguration;
        var reference = references.Reference("adam", configuration);
        var folder = Folder("sigint");
        using (var child = Continue(configuration, folder))
        {
            Assert.True(child.WaitForLine(line => IsEpochLine(line, 2)), child.ToString());
            Thread.Sleep(20);
            child.Interrupt();
            Assert.True(child.WaitForExit() == ExitCodes.Interrupted, child.ToString());
            Assert.Contains("--resume", child.Output, StringComparison.Ordinal);
        }
        var checkpointEpoch = RunFolderChecks.AssertWhole(folder);
        var manifest = RunFolder.ReadManifest(folder);
        Assert.Equal(RunStatus.Interrupted, manifest.Status);
        Assert.InRange(checkpointEpoch, 2, Epochs - 1);
        Assert.Equal(checkpointEpoch, manifest.EpochsCompleted);
        Assert.Equal(checkpointEpoch, RunFolder.ReadMetrics(folder).Count);
        Assert.False(File.Exists(Path.Combine(folder, ".lock")), "a clean exit removes its lock");

        using (var resumed = Continue(configuration, folder))
        {
            Assert.True(resumed.WaitForExit() == 0, resumed.ToString());
            Assert.DoesNotContain("epoch 1/", resumed.Output, StringComparison.Ordinal);
        }
        RunFolderChecks.AssertCompletedAndClean(folder, Epochs);
        Assert.Equal(Model(reference), Model(folder));
    }

    [Fact]
    public void A_second_process_on_the_same_folder_exits_6_naming_the_folder_and_the_owner()
    {
        string[] configuration = ["--batch-size", "1", "--optimizer", "sgd"];
        var folder = Folder("locked");
        // The owner trains far longer than the second process takes to start, and is killed once it has been refused.
        using (var owner = CliProcess.Start(references.Root, references.Arguments(configuration, folder, epochs: 500)))
        {
            Assert.True(owner.WaitForLine(line => line.StartsWith("run folder:", StringComparison.Ordinal)), owner.ToString());
            var second = CliProcess.Run(references.Root, references.Arguments(configuration, folder));
            var stillRunning = !owner.HasExited;
            owner.Kill();
            Assert.True(stillRunning, "the owner ended before the second process tried: lengthen the run");
            Assert.True(second.ExitCode == ExitCodes.Locked, second.ToString());
            Assert.Contains(folder, second.Error, StringComparison.Ordinal);
            Assert.Contains($"pid {owner.Id} ", second.Error, StringComparison.Ordinal);
        }
        // The SIGKILLed owner's stale .lock not blocking the next run is what every resume in the kill test shows.
        RunFolderChecks.AssertWhole(folder);
    }
}
