using ScratchNet.IO;
using ScratchNet.Runs;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Reliability;

/// <summary>
/// Faults that come from the machine, made for real on the CLI in child processes: a full disk (a small tmpfs), a
/// read-only file system, a run folder removed or replaced mid-run, SIGKILL and SIGHUP. Each case checks the exit code,
/// the one error line (no stack trace), the manifest's status and that every file left in the folder parses. The
/// classifier runs on the first 500–2000 Fashion-MNIST training examples (the system data set CI installs).
/// </summary>
public sealed class EnvironmentFaultTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("scratchnet-faults-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string[] Classify(string folder, params string[] options) =>
        ["classify", "mlp", "--data-dir", Data.RealData.RequireFashionMnist(), .. options, "--out", folder];

    // 80 hidden units in float64: a checkpoint of 509,696 bytes. A 700 KB tmpfs holds one, not the old one and its
    // replacement side by side, so the epoch 2 checkpoint is the write that fails.
    private static readonly string[] TwoCheckpointsDoNotFit = ["--epochs", "3", "--limit", "500", "--hidden", "80", "--precision", "float64"];

    /// <summary>The error line, checked to be the only one on stderr, the CLI's format and no stack trace.</summary>
    internal static string OneErrorLine(CliProcess child)
    {
        var lines = child.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one error line:\n{child}");
        Assert.StartsWith("scratchnet: error: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", child.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", child.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", child.Error, StringComparison.Ordinal);
        return lines[0];
    }

    private static RunManifest Manifest(string folder) => RunManifest.Read(Path.Combine(folder, RunFolder.ManifestFile));

    [SkippableFact]
    public void Full_disk_at_the_epoch_2_checkpoint_exits_8_keeps_epoch_1_and_resume_after_freeing_space_ends_byte_identical()
    {
        var reference = Path.Combine(_root, "reference");
        var uninterrupted = CliProcess.Run(_root, Classify(reference, TwoCheckpointsDoNotFit));
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.ToString());

        using var disk = TmpfsMount.Create("700k");
        var folder = Path.Combine(disk.Path, "run");
        var full = CliProcess.Run(_root, Classify(folder, TwoCheckpointsDoNotFit));
        log.WriteLine($"exit {full.ExitCode}: {full.Error}");
        Assert.True(full.ExitCode == ExitCodes.CannotWrite, full.ToString());
        Assert.Equal(
            $"scratchnet: error: cannot write {folder}/checkpoint.safetensors: no space left on device (ENOSPC); free space or choose another --out; " +
            $"the last good checkpoint, epoch 1, is kept: continue with --resume {folder}; manifest.json says Failed.",
            OneErrorLine(full));
        Assert.Equal(1, RunFolderChecks.AssertWhole(folder));
        var manifest = Manifest(folder);
        Assert.Equal(RunStatus.Failed, manifest.Status);
        Assert.Contains("no space left on device", manifest.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.EnumerateFiles(folder), path => AtomicFile.IsTemporaryName(Path.GetFileName(path)));

        disk.Remount("size=4m"); // space freed
        var resumed = CliProcess.Run(_root, [.. Classify(folder, TwoCheckpointsDoNotFit), "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.DoesNotContain("epoch 1/", resumed.Output, StringComparison.Ordinal);
        RunFolderChecks.AssertCompletedAndClean(folder, 3);
        Assert.Equal(File.ReadAllBytes(Path.Combine(reference, RunFolder.ModelFile)), File.ReadAllBytes(Path.Combine(folder, RunFolder.ModelFile)));
        Assert.Equal(File.ReadAllBytes(Path.Combine(reference, RunFolder.PredictionsFile)), File.ReadAllBytes(Path.Combine(folder, RunFolder.PredictionsFile)));
        Assert.Equal(RunFolderChecks.MetricsWithoutTimes(reference), RunFolderChecks.MetricsWithoutTimes(folder));
    }

    [SkippableFact]
    public void Full_disk_at_the_first_checkpoint_exits_8_saying_no_checkpoint_was_written()
    {
        // The command: 200 hidden units in float64 make a 1.27 MB checkpoint, more than the whole disk.
        using var disk = TmpfsMount.Create("700k");
        var folder = Path.Combine(disk.Path, "run");
        var full = CliProcess.Run(_root, Classify(folder, "--epochs", "2", "--limit", "2000"));
        log.WriteLine($"exit {full.ExitCode}: {full.Error}");
        Assert.True(full.ExitCode == ExitCodes.CannotWrite, full.ToString());
        Assert.Equal(
            $"scratchnet: error: cannot write {folder}/checkpoint.safetensors: no space left on device (ENOSPC); free space or choose another --out; " +
            "no checkpoint was written: run the same command again (it starts from epoch 1); manifest.json says Failed.",
            OneErrorLine(full));
        Assert.Equal(0, RunFolderChecks.AssertWhole(folder));
        Assert.Equal(RunStatus.Failed, Manifest(folder).Status);
    }

    [SkippableFact]
    public void Torch_engine_full_disk_at_the_first_checkpoint_exits_8_and_records_Failed()
    {
        // The torch checkpoint (weights, optimizer and generator state) of a 784-200-10 MLP does not fit in 256 KB.
        using var disk = TmpfsMount.Create("256k");
        var folder = Path.Combine(disk.Path, "run");
        var full = CliProcess.Run(_root, Classify(folder, "--engine", "torch", "--epochs", "1", "--limit", "500"));
        log.WriteLine($"exit {full.ExitCode}: {full.Error}");
        Assert.True(full.ExitCode == ExitCodes.CannotWrite, full.ToString());
        Assert.Equal(
            $"scratchnet: error: cannot write {folder}/checkpoint.safetensors: no space left on device (ENOSPC); free space or choose another --out; " +
            "no checkpoint was written: run the same command again (it starts from epoch 1); manifest.json says Failed.",
            OneErrorLine(full));
        RunFolderChecks.AssertWhole(folder);
        Assert.Equal(RunStatus.Failed, Manifest(folder).Status);
        Assert.False(File.Exists(Path.Combine(folder, RunFolder.ModelFile)));
    }

    [SkippableFact]
    public void A_run_folder_on_a_read_only_file_system_exits_8_naming_the_cause()
    {
        using var disk = TmpfsMount.Create("1m");
        var folder = Path.Combine(disk.Path, "run");
        Directory.CreateDirectory(folder);
        disk.Remount("ro");
        var refused = CliProcess.Run(_root, Classify(folder, "--epochs", "1", "--limit", "500"));
        log.WriteLine($"exit {refused.ExitCode}: {refused.Error}");
        Assert.True(refused.ExitCode == ExitCodes.CannotWrite, refused.ToString());
        Assert.Equal($"scratchnet: error: cannot write {folder}/.lock: read-only file system (EROFS); remount it read-write or choose another --out.", OneErrorLine(refused));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    // A long run, stopped by the fault long before its end. The fault is made right after an epoch line, which is printed
    // once that epoch's files are written: the next write comes a whole epoch of training and evaluation later (10,000
    // examples each), so the fault never lands inside a write.
    private static readonly string[] Long = ["--epochs", "3000", "--limit", "10000", "--hidden", "20"];

    private static bool IsEpoch(string line, int epoch) => line.StartsWith($"epoch {epoch,4}/3000", StringComparison.Ordinal);

    [Fact]
    public void Run_folder_removed_mid_run_exits_9_and_is_not_recreated()
    {
        var folder = Path.Combine(_root, "removed");
        using var child = CliProcess.Start(_root, Classify(folder, Long));
        Assert.True(child.WaitForLine(line => IsEpoch(line, 2)), child.ToString());
        RemoveWhileWritten(folder);
        var code = child.WaitForExit();
        log.WriteLine($"exit {code}: {child.Error}");
        Assert.True(code == ExitCodes.RunFolderGone, child.ToString());
        Assert.Matches($"^scratchnet: error: the run folder {System.Text.RegularExpressions.Regex.Escape(folder)} was removed( or replaced)? while this run was writing it.*; the run stopped without (recreating it|writing into it again)\\. Run the command again to start afresh\\.$", OneErrorLine(child));
        Assert.False(Directory.Exists(folder), "the run recreated its removed folder");
    }

    // rm -rf races the run's own writes (a file it renames in between makes the last rmdir fail): retried as a user would.
    private static void RemoveWhileWritten(string folder)
    {
        for (var attempt = 0; Directory.Exists(folder); attempt++)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException) when (attempt < 20)
            {
                Thread.Sleep(10);
            }
        }
    }

    [Fact]
    public void Run_folder_replaced_mid_run_exits_9_writes_nothing_into_the_new_folder_and_the_old_reads_as_interrupted_process_gone()
    {
        var folder = Path.Combine(_root, "replaced");
        var moved = Path.Combine(_root, "moved-away");
        using var child = CliProcess.Start(_root, Classify(folder, Long));
        Assert.True(child.WaitForLine(line => IsEpoch(line, 2)), child.ToString());
        Directory.Move(folder, moved);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "someone else's folder\n");
        var code = child.WaitForExit();
        log.WriteLine($"exit {code}: {child.Error}");
        Assert.True(code == ExitCodes.RunFolderGone, child.ToString());
        Assert.Equal(
            $"scratchnet: error: the run folder {folder} was removed or replaced while this run was writing it (its .lock.owner is gone); the run stopped without writing into it again. Run the command again to start afresh.",
            OneErrorLine(child));
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName));
        // The moved folder still says Running (the run could not reach it), and readers see that no process owns it.
        RunFolderChecks.AssertWhole(moved);
        Assert.Equal(RunStatus.Running, Manifest(moved).Status);
        var read = RunFolder.ReadManifest(moved);
        Assert.Equal(RunStatus.Interrupted, read.Status);
        Assert.StartsWith(RunFolder.ProcessGone, read.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sigkilled_run_reads_as_running_while_alive_then_interrupted_process_gone_and_resume_says_so()
    {
        var folder = Path.Combine(_root, "killed");
        string[] options = ["--epochs", "40", "--limit", "1000", "--hidden", "20"];
        using (var child = CliProcess.Start(_root, Classify(folder, options)))
        {
            Assert.True(child.WaitForLine(line => line.StartsWith("epoch  2/40", StringComparison.Ordinal)), child.ToString());
            var whileAlive = RunFolder.ReadManifest(folder);
            var stillRunning = !child.HasExited;
            child.Kill();
            Assert.True(stillRunning, "the run ended before it could be read while alive: lengthen it");
            Assert.Equal(RunStatus.Running, whileAlive.Status);
        }
        RunFolderChecks.AssertWhole(folder);
        Assert.Equal(RunStatus.Running, Manifest(folder).Status); // SIGKILL cannot be caught: the file says Running
        var read = RunFolder.ReadManifest(folder);
        Assert.Equal(RunStatus.Interrupted, read.Status);
        Assert.Equal($"{RunFolder.ProcessGone} after {read.EpochsCompleted} finished epochs", read.Message);

        var resumed = CliProcess.Run(_root, [.. Classify(folder, options), "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains($"previous session: {RunFolder.ProcessGone}", resumed.Output, StringComparison.Ordinal);
        RunFolderChecks.AssertCompletedAndClean(folder, 40);
    }

    [Theory]
    [InlineData("SIGHUP", 1)]
    [InlineData("SIGTERM", 15)]
    public void A_caught_signal_records_Interrupted_not_Running(string name, int signal)
    {
        var folder = Path.Combine(_root, name);
        using var child = CliProcess.Start(_root, Classify(folder, Long));
        Assert.True(child.WaitForLine(line => IsEpoch(line, 2)), child.ToString());
        child.Signal(signal);
        var code = child.WaitForExit();
        log.WriteLine($"{name}: exit {code}: {child.Output.Split('\n')[^1]}");
        Assert.True(code == ExitCodes.Interrupted, child.ToString());
        Assert.Empty(child.Error);
        var epochs = RunFolderChecks.AssertWhole(folder);
        var manifest = Manifest(folder);
        Assert.Equal(RunStatus.Interrupted, manifest.Status);
        Assert.Equal(epochs, manifest.EpochsCompleted);
        Assert.False(File.Exists(Path.Combine(folder, ".lock")), "a caught signal exits cleanly and removes the lock");
    }
}
