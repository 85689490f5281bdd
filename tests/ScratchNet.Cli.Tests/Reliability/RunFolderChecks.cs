using ScratchNet.IO;
using ScratchNet.Runs;

namespace ScratchNet.Tests.Reliability;

/// <summary>What a run folder must look like after any kill: every file whole and the files consistent with each other.</summary>
internal static class RunFolderChecks
{
    /// <summary>
    /// Every file parses (a torn file would not), nothing unexpected is there, and metrics.csv has epochs 1..m with m the
    /// checkpoint's epoch or one less (the checkpoint is written first). Returns the checkpoint's epoch (0 when none).
    /// </summary>
    public static int AssertWhole(string folder)
    {
        if (!Directory.Exists(folder))
            return 0;
        var checkpointEpoch = 0;
        int? metricsEpochs = null;
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(path);
            switch (name)
            {
                case RunFolder.ManifestFile:
                    _ = RunFolder.ReadManifest(folder);
                    break;
                case RunFolder.MetricsFile:
                    var epochs = RunFolder.ReadMetrics(folder);
                    Assert.Equal(Enumerable.Range(1, epochs.Count), epochs.Select(e => e.Epoch));
                    metricsEpochs = epochs.Count;
                    break;
                case RunFolder.ModelFile:
                    Assert.NotEmpty(SafeTensors.Read(path));
                    break;
                case RunFolder.CheckpointFile:
                    Assert.NotEmpty(SafeTensors.Read(path));
                    checkpointEpoch = int.Parse(SafeTensors.ReadMetadata(File.ReadAllBytes(path), path)["epoch"], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case ".lock" or ".lock.owner" or "log.txt" or RunFolder.PredictionsFile:
                    break; // a killed owner leaves its lock files; the kernel has released the flock
                default:
                    Assert.True(AtomicFile.IsTemporaryName(name), $"unexpected file {path}");
                    break;
            }
        }
        if (metricsEpochs is { } m && checkpointEpoch > 0)
            Assert.InRange(m, checkpointEpoch - 1, checkpointEpoch);
        return checkpointEpoch;
    }

    /// <summary>After a run completed: only its outputs remain, no lock and no temporary file.</summary>
    public static void AssertCompletedAndClean(string folder, int epochs)
    {
        AssertWhole(folder);
        var manifest = RunFolder.ReadManifest(folder);
        Assert.Equal(RunStatus.Completed, manifest.Status);
        Assert.Equal(epochs, manifest.EpochsCompleted);
        Assert.Equal(Enumerable.Range(1, epochs), RunFolder.ReadMetrics(folder).Select(e => e.Epoch));
        var leftovers = Directory.EnumerateFiles(folder).Select(Path.GetFileName)
            .Where(name => name!.StartsWith('.')).ToList();
        Assert.True(leftovers.Count == 0, $"left in {folder}: {string.Join(", ", leftovers)}");
    }

    /// <summary>metrics.csv without the wall-clock column, which differs between any two runs.</summary>
    public static IReadOnlyList<EpochMetrics> MetricsWithoutTimes(string folder) =>
        [.. RunFolder.ReadMetrics(folder).Select(e => e with { Seconds = 0 })];
}
