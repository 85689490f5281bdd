using ScratchNet.IO;
using ScratchNet.Runs;

namespace ScratchNet.Tests.RunFolders;

/// <summary>In-process checks of the fault handling the CLI tests (Reliability/EnvironmentFaultTests) make for real.</summary>
public sealed class RunFolderFaultTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"scratchnet-faultunit-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir))
            Directory.Delete(_dir, recursive: true);
    }

    private static RunManifest Manifest(RunStatus status) => new()
    {
        Name = "run", Status = status, Options = Presets.For(ModelKind.LogisticRegression, "q3"),
        ConfigHash = Presets.For(ModelKind.LogisticRegression, "q3").ConfigHash(), Environment = RunEnvironment.Current(),
        StartedUtc = new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero), EpochsCompleted = 3,
    };

    [Theory]
    [InlineData(28, "no space left on device (ENOSPC)", "free space or choose {AnotherOut}")]
    [InlineData(122, "disk quota exceeded (EDQUOT)", "free space within your quota or choose {AnotherOut}")]
    [InlineData(30, "read-only file system (EROFS)", "remount it read-write or choose {AnotherOut}")]
    [InlineData(5, "input/output error (EIO): the disk may be failing", "check the disk (dmesg) or choose {AnotherOut}")]
    public void A_write_fault_names_the_file_its_cause_and_the_fix_and_exits_8(int errno, string cause, string fixTemplate)
    {
        var fault = OutputWriteException.For("/runs/a/checkpoint.safetensors", new IOException("raw message", errno));
        var fix = fixTemplate.Replace("{AnotherOut}", "another output folder", StringComparison.Ordinal); // the CLI: "another --out"
        Assert.Equal($"cannot write /runs/a/checkpoint.safetensors: {cause}; {fix}.", fault.Message);
        Assert.Equal($"cannot write /runs/a/checkpoint.safetensors: {cause}; {fixTemplate}.", fault.Template);
        Assert.Equal(fix, fault.Fix);
        Assert.Equal(ExitCodes.CannotWrite, fault.ExitCode);
        Assert.True(OutputWriteException.IsFileSystemFault(new IOException("x", errno)));
        Assert.Equal($"cannot write /runs/a/checkpoint.safetensors: {cause}; {fix}; kept.", fault.WithFix($"{fault.FixTemplate}; kept").Message);
    }

    [Fact]
    public void A_missing_file_or_a_file_in_use_is_not_a_file_system_fault()
    {
        Assert.False(OutputWriteException.IsWriteFault(new DirectoryNotFoundException()));
        Assert.False(OutputWriteException.IsFileSystemFault(new IOException("in use", 11)));
        Assert.True(OutputWriteException.IsFileSystemFault(new UnauthorizedAccessException()));
    }

    [Fact]
    public void A_Running_manifest_reads_as_Running_while_its_owner_holds_the_lock_and_as_interrupted_process_gone_after()
    {
        using (var folder = RunFolder.Open(_dir))
        {
            folder.WriteManifest(Manifest(RunStatus.Running));
            Assert.True(RunFolder.HasLiveOwner(_dir));
            Assert.Equal(RunStatus.Running, RunFolder.ReadManifest(_dir).Status);
        }
        // A clean exit deletes .lock; a killed owner leaves it unlocked. Both read as gone.
        Assert.False(RunFolder.HasLiveOwner(_dir));
        File.WriteAllText(Path.Combine(_dir, ".lock"), "12345\n");
        Assert.False(RunFolder.HasLiveOwner(_dir));
        var read = RunFolder.ReadManifest(_dir);
        Assert.Equal(RunStatus.Interrupted, read.Status);
        Assert.Equal("interrupted (process gone) after 3 finished epochs", read.Message);
        Assert.Equal(RunStatus.Running, RunManifest.Read(Path.Combine(_dir, RunFolder.ManifestFile)).Status);

        using var next = RunFolder.Open(_dir);
        Assert.Equal(RunStatus.Running, next.PreviousStatus); // what --resume reports as "previous session: interrupted (process gone)"
    }

    [Fact]
    public void A_folder_removed_or_replaced_is_never_written_again()
    {
        using var folder = RunFolder.Open(_dir);
        folder.WriteManifest(Manifest(RunStatus.Running));
        Directory.Move(_dir, _dir + "-moved");
        try
        {
            Directory.CreateDirectory(_dir);
            var replaced = Assert.Throws<RunFolderGoneException>(() => folder.WriteMetrics([]));
            Assert.Equal(ExitCodes.RunFolderGone, replaced.ExitCode);
            Assert.Contains("was removed or replaced", replaced.Message, StringComparison.Ordinal);
            Assert.False(folder.TryWriteManifest(Manifest(RunStatus.Failed)));
            Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));

            Directory.Delete(_dir);
            var removed = Assert.Throws<RunFolderGoneException>(() => folder.WriteMetrics([]));
            Assert.Contains("was removed while this run was writing it; the run stopped without recreating it", removed.Message, StringComparison.Ordinal);
            Assert.False(Directory.Exists(_dir));
        }
        finally
        {
            Directory.Delete(_dir + "-moved", recursive: true);
        }
    }
}
