using ScratchNet.IO;

namespace ScratchNet.Training;

/// <summary>
/// A run's output folder: <c>manifest.json</c>, <c>metrics.csv</c>, <c>model.safetensors</c> and, while it trains,
/// <c>checkpoint.safetensors</c>. Every file is written atomically. Opening a folder for writing takes a lock file, so a second
/// process writing into the same folder is refused instead of interleaving its output (the refusal names the owner, from
/// <c>.lock.owner</c>). Opening also deletes the temporary files a killed writer left behind.
/// </summary>
public sealed class RunFolder : IDisposable
{
    public const string ManifestFile = "manifest.json";
    public const string MetricsFile = "metrics.csv";
    public const string ModelFile = "model.safetensors";
    public const string CheckpointFile = "checkpoint.safetensors";
    public const string PredictionsFile = "test_predictions.csv";
    /// <summary>The log a reproduce/sweep worker's output goes to.</summary>
    public const string LogFile = "log.txt";
    private const string LockFile = ".lock";
    private const string OwnerFile = ".lock.owner";

    /// <summary>Every file a run writes into its folder; <c>--overwrite</c> deletes these and nothing else.</summary>
    public static readonly IReadOnlyList<string> RunFiles = [CheckpointFile, ManifestFile, MetricsFile, ModelFile, PredictionsFile, LogFile];

    private readonly FileStream _lock;

    private RunFolder(string path, FileStream lockStream)
    {
        Path = path;
        _lock = lockStream;
    }

    public string Path { get; }

    public string ManifestPath => System.IO.Path.Combine(Path, ManifestFile);
    public string MetricsPath => System.IO.Path.Combine(Path, MetricsFile);
    public string ModelPath => System.IO.Path.Combine(Path, ModelFile);
    public string CheckpointPath => System.IO.Path.Combine(Path, CheckpointFile);
    public string PredictionsPath => System.IO.Path.Combine(Path, PredictionsFile);

    /// <summary>Creates (or reopens) the folder and locks it for this process.</summary>
    public static RunFolder Open(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot create the output folder {path}: {e.Message}. Choose another --out.", e);
        }
        var lockPath = System.IO.Path.Combine(path, LockFile);
        var ownerPath = System.IO.Path.Combine(path, OwnerFile);
        FileStream stream;
        try
        {
            // FileShare.None takes an exclusive flock(2): the kernel releases it when the process dies, however it dies,
            // so a stale .lock left by a killed run never blocks the next one.
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException)
        {
            throw new ScratchNetException(
                $"{path} is in use by another ScratchNet process ({DescribeOwner(ownerPath)}; lock file {lockPath}). Wait for it to finish or choose another --out.",
                ExitCodes.Locked);
        }
        try
        {
            stream.SetLength(0);
            stream.Write(System.Text.Encoding.UTF8.GetBytes($"{Environment.ProcessId}\n"));
            stream.Flush();
            // The locked file cannot be read by others (they would need the flock too), so the owner is named beside it.
            AtomicFile.WriteAllText(ownerPath, $"pid {Environment.ProcessId} on {Environment.MachineName}, since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC\n");
            AtomicFile.DeleteStaleTemporaries(path);
            return new RunFolder(System.IO.Path.GetFullPath(path), stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens a folder for a new run. A folder that holds a run with at least one finished epoch, or files that are not a
    /// run's, is refused (<see cref="UsageException"/>: the line names a new --out, --resume and --overwrite) unless
    /// <paramref name="overwrite"/>, which deletes the old run's files (<see cref="RunFiles"/>) and leaves any other file
    /// alone. Leftovers of a run that never finished an epoch are cleared: there is no result in them to lose.
    /// </summary>
    public static RunFolder OpenNew(string path, bool overwrite)
    {
        RefuseOccupied(path, overwrite); // before the lock, so a refusal creates nothing
        var folder = Open(path);
        try
        {
            RefuseOccupied(path, overwrite); // again under the lock: another process may have written a run meanwhile
            // a log is kept unless the run is replaced: a reproduce/sweep worker's log is open in its parent
            foreach (var file in RunFiles.Where(file => overwrite || file != LogFile))
                File.Delete(System.IO.Path.Combine(path, file));
            return folder;
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the first free folder of <paramref name="path"/>, <c>path-2</c>, <c>path-3</c>, … (a default name such as
    /// runs/mlp-20261204-101500: two runs started in the same second get two folders, even in two processes at once).
    /// </summary>
    public static RunFolder OpenUnique(string path)
    {
        for (var n = 1; n <= 1000; n++)
        {
            var candidate = n == 1 ? path : $"{path}-{n}";
            if (Occupant(candidate) is not null)
                continue;
            try
            {
                return OpenNew(candidate, overwrite: false);
            }
            catch (ScratchNetException e) when (e.ExitCode == ExitCodes.Locked || (e is UsageException && Directory.Exists(candidate) && Occupant(candidate) is not null))
            {
                // another process took this name first
            }
        }
        throw new UsageException($"Cannot find a free run folder named {path} or {path}-2 … {path}-1000. Choose --out.");
    }

    /// <summary>Throws the refusal of <see cref="OpenNew"/> when <paramref name="path"/> holds a result or other files.</summary>
    public static void RefuseOccupied(string path, bool overwrite)
    {
        if (overwrite || Occupant(path) is not { } what)
            return;
        throw new UsageException(what.IsRun
            ? $"--out {path} already holds {what.Description}; nothing was written. Choose a new --out, continue it with --resume {path}{(what.Finished ? " --extend-to EPOCHS" : "")}, or replace it with --overwrite."
            : $"--out {path} is not empty and is not a run folder ({what.Description}); nothing was written. Choose a new --out (a new or empty folder), or write the run into it with --overwrite (other files are left alone).");
    }

    /// <summary>What makes a folder unusable for a new run without --overwrite; null when it is missing, empty or holds
    /// only the leftovers of a run that finished no epoch (lock and temporary files, a manifest at 0 epochs, a log).</summary>
    public static FolderOccupant? Occupant(string path)
    {
        if (!Directory.Exists(path))
            return null;
        var names = Directory.EnumerateFileSystemEntries(path).Select(System.IO.Path.GetFileName).OfType<string>()
            .Where(name => name is not (LockFile or OwnerFile) && !AtomicFile.IsTemporaryName(name)).Order(StringComparer.Ordinal).ToList();
        var manifestPath = System.IO.Path.Combine(path, ManifestFile);
        RunManifest? manifest = null;
        var unreadable = false;
        if (File.Exists(manifestPath))
        {
            try
            {
                manifest = RunManifest.Read(manifestPath);
            }
            catch (DataException)
            {
                unreadable = true;
            }
        }
        if (unreadable)
            return new FolderOccupant(true, false, "a run whose manifest.json cannot be read");
        if (manifest is not null && (manifest.EpochsCompleted > 0 || manifest.Status == RunStatus.Completed))
        {
            var finished = manifest.Status is RunStatus.Completed;
            return new FolderOccupant(true, finished,
                $"a{(finished ? " finished" : "n unfinished")} run ({manifest.Status}, {manifest.EpochsCompleted} of {manifest.Options.Epochs} epochs)");
        }
        if (names.Contains(CheckpointFile) || names.Contains(ModelFile))
            return new FolderOccupant(true, false, "a run's checkpoint or model");
        var others = names.Where(name => !RunFiles.Contains(name)).ToList();
        return others.Count == 0 ? null
            : new FolderOccupant(false, false, $"it holds {others[0]}{(others.Count > 1 ? $" and {others.Count - 1} more" : "")}");
    }

    private static string DescribeOwner(string ownerPath)
    {
        try
        {
            return "held by " + File.ReadAllText(ownerPath).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "owner unknown: no readable " + OwnerFile;
        }
    }

    public void WriteManifest(RunManifest manifest) => manifest.Write(ManifestPath);

    public void WriteMetrics(IEnumerable<EpochMetrics> epochs) => MetricsCsv.Write(MetricsPath, epochs);

    public void WriteModel(IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        SafeTensors.Write(ModelPath, tensors, metadata);

    /// <summary>Test-set predictions (index, true label, predicted label) for the confusion matrix and error gallery.</summary>
    public void WritePredictions(ReadOnlySpan<byte> labels, ReadOnlySpan<int> predicted)
    {
        if (labels.Length != predicted.Length)
            throw new ArgumentException($"{labels.Length} labels but {predicted.Length} predictions.");
        var text = new System.Text.StringBuilder("index,label,predicted\n");
        for (var i = 0; i < labels.Length; i++)
            text.Append(i).Append(',').Append(labels[i]).Append(',').Append(predicted[i]).Append('\n');
        AtomicFile.WriteAllText(PredictionsPath, text.ToString());
    }

    /// <summary>The manifest of a finished or partial run folder, validated.</summary>
    public static RunManifest ReadManifest(string path) => RunManifest.Read(System.IO.Path.Combine(path, ManifestFile));

    public static IReadOnlyList<EpochMetrics> ReadMetrics(string path) => MetricsCsv.Read(System.IO.Path.Combine(path, MetricsFile));

    public void Dispose()
    {
        File.Delete(System.IO.Path.Combine(Path, OwnerFile));
        _lock.Dispose();
    }
}

/// <summary>What a folder holds that a new run must not write over: a run (<paramref name="IsRun"/>; <paramref name="Finished"/>
/// when it completed) or other files.</summary>
public sealed record FolderOccupant(bool IsRun, bool Finished, string Description);
