using ScratchNet.IO;

namespace ScratchNet.Runs;

/// <summary>
/// A run's output folder: <c>manifest.json</c>, <c>metrics.csv</c>, <c>model.safetensors</c> and, while it trains,
/// <c>checkpoint.safetensors</c>. Every file is written atomically. Opening a folder for writing takes a lock file, so a second
/// process writing into the same folder is refused instead of interleaving its output (the refusal names the owner, from
/// <c>.lock.owner</c>). Opening also deletes the temporary files a killed writer left behind.
/// Before each write the folder is checked to still be this run's (the owner file carries a token): a folder removed or
/// replaced mid-run stops the run with a <see cref="RunFolderGoneException"/> instead of recreating half a folder, and a
/// write that fails (a full disk, a read-only file system) is an <see cref="OutputWriteException"/> naming the file.
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
    private readonly string _token;

    private RunFolder(string path, FileStream lockStream, string token, RunStatus? previousStatus)
    {
        Path = path;
        _lock = lockStream;
        _token = token;
        PreviousStatus = previousStatus;
    }

    /// <summary>
    /// The status the manifest had when this process took the lock: <see cref="RunStatus.Running"/> means its previous
    /// owner was killed (SIGKILL, power loss) before it could record how it ended. Null without a readable manifest.
    /// </summary>
    public RunStatus? PreviousStatus { get; }

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
            throw MessageTerms.UsageError($"Cannot create the output folder {path}: {e.Message}. Choose {{AnotherOut}}.", e);
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
        catch (Exception e) when (OutputWriteException.IsFileSystemFault(e))
        {
            throw OutputWriteException.For(lockPath, e);
        }
        catch (IOException)
        {
            throw InUse(path);
        }
        try
        {
            stream.SetLength(0);
            stream.Write(System.Text.Encoding.UTF8.GetBytes($"{Environment.ProcessId}\n"));
            stream.Flush();
            // The locked file cannot be read by others (they would need the flock too), so the owner is named beside it;
            // its token tells this run's folder from one put in its place.
            var token = Guid.NewGuid().ToString("N");
            AtomicFile.WriteAllText(ownerPath, $"pid {Environment.ProcessId} on {Environment.MachineName}, since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC (run {token})\n");
            AtomicFile.DeleteStaleTemporaries(path);
            return new RunFolder(System.IO.Path.GetFullPath(path), stream, token, RawStatus(path));
        }
        catch (Exception e) when (OutputWriteException.IsWriteFault(e))
        {
            stream.Dispose();
            throw OutputWriteException.For(ownerPath, e);
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
        RefuseInUse(path);
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
        throw MessageTerms.UsageError($"Cannot find a free run folder named {path} or {path}-2 … {path}-1000. Choose {{AnotherOut}}.");
    }

    /// <summary>
    /// Before a new run is planned into <paramref name="path"/>: a folder another live process is training in is "in
    /// use" (exit 6: wait for it), whatever it holds so far; checked before <see cref="RefuseOccupied"/>, whose answer
    /// (another --out, --resume, --overwrite) would be wrong while that process runs.
    /// </summary>
    public static void RefuseInUse(string path)
    {
        if (Directory.Exists(path) && HasLiveOwner(path))
            throw InUse(path);
    }

    /// <summary>Throws the refusal of <see cref="OpenNew"/> when <paramref name="path"/> holds a result or other files.</summary>
    public static void RefuseOccupied(string path, bool overwrite)
    {
        if (overwrite || Occupant(path) is not { } what)
            return;
        throw MessageTerms.UsageError(what.IsRun
            ? $"{{Out}} {path} already holds {what.Description}; nothing was written. Choose {{NewOut}}, continue it {{WithResume}} {path}{(what.Finished ? " {ExtendTo}" : "")}, or replace it {{WithOverwrite}}."
            : $"{{Out}} {path} is not empty and is not a run folder ({what.Description}); nothing was written. Choose {{NewOut}} (a new or empty folder), or write the run into it {{WithOverwrite}} (other files are left alone).");
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

    // Exit 6: another live process holds the folder's lock.
    private static ScratchNetException InUse(string path)
    {
        var template = $"{path} is in use by another ScratchNet process ({DescribeOwner(System.IO.Path.Combine(path, OwnerFile))}; lock file {System.IO.Path.Combine(path, LockFile)}). Wait for it to finish or choose {{AnotherOut}}.";
        return new(MessageTerms.Message(template), ExitCodes.Locked) { Template = template };
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

    public void WriteManifest(RunManifest manifest) => Write(ManifestPath, () => manifest.Write(ManifestPath));

    public void WriteMetrics(IEnumerable<EpochMetrics> epochs) => Write(MetricsPath, () => MetricsCsv.Write(MetricsPath, epochs));

    public void WriteModel(IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        Write(ModelPath, () => SafeTensors.Write(ModelPath, tensors, metadata));

    /// <summary>The epoch checkpoint (weights, optimizer state, metadata): the old one stays until the new one is whole.</summary>
    public void WriteCheckpoint(IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string> metadata) =>
        Write(CheckpointPath, () => SafeTensors.Write(CheckpointPath, tensors, metadata));

    /// <summary>
    /// The run's final manifest, if it can still be written: false when the folder is gone or replaced, or the write
    /// failed (then the manifest on disk is the last one written, and readers see a Running one without a live owner
    /// as interrupted).
    /// </summary>
    public bool TryWriteManifest(RunManifest manifest)
    {
        try
        {
            WriteManifest(manifest);
            return true;
        }
        catch (Exception e) when (e is ScratchNetException || OutputWriteException.IsWriteFault(e))
        {
            return false;
        }
    }

    /// <summary>Throws a <see cref="RunFolderGoneException"/> unless the folder is still this run's.</summary>
    public void EnsureIntact()
    {
        const string again = "Run the command again to start afresh.";
        if (!Directory.Exists(Path))
            throw new RunFolderGoneException($"the run folder {Path} was removed while this run was writing it; the run stopped without recreating it. {again}");
        string owner;
        try
        {
            owner = File.ReadAllText(System.IO.Path.Combine(Path, OwnerFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunFolderGoneException($"the run folder {Path} was removed or replaced while this run was writing it (its {OwnerFile} is gone); the run stopped without writing into it again. {again}", e);
        }
        if (!owner.Contains(_token, StringComparison.Ordinal))
            throw new RunFolderGoneException($"the run folder {Path} was replaced by another run's folder while this run was writing it; the run stopped without writing into it. {again}");
    }

    // Every write: the folder must still be this run's, and a failed write names its file and cause.
    private void Write(string path, Action write)
    {
        EnsureIntact();
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            EnsureIntact(); // a folder removed during the write shows as a missing file or folder
            if (OutputWriteException.IsWriteFault(e))
                throw OutputWriteException.For(path, e);
            throw;
        }
    }

    /// <summary>
    /// True when a process holds the folder's lock (its flock, which the kernel releases however the process dies). A
    /// manifest that says Running with no live owner was left by a killed process.
    /// </summary>
    public static bool HasLiveOwner(string path)
    {
        var lockPath = System.IO.Path.Combine(path, LockFile);
        try
        {
            // A shared flock: refused while the owner holds its exclusive one; taken and released at once otherwise.
            using var probe = new FileStream(lockPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return false;
        }
        catch (FileNotFoundException)
        {
            return false; // a clean exit deletes the lock file
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The message of a run whose process is gone while its manifest still says Running.</summary>
    public const string ProcessGone = "interrupted (process gone)";

    private static RunStatus? RawStatus(string path)
    {
        try
        {
            var manifest = System.IO.Path.Combine(path, ManifestFile);
            return File.Exists(manifest) ? RunManifest.Read(manifest).Status : null;
        }
        catch (DataException)
        {
            return null;
        }
    }

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

    /// <summary>
    /// The manifest of a finished or partial run folder, validated. A manifest that says Running while no process holds
    /// the folder's lock was left by a killed process (SIGKILL cannot be caught): it is read as Interrupted with the
    /// message "interrupted (process gone)". <see cref="RunManifest.Read"/> gives the file as it is.
    /// </summary>
    public static RunManifest ReadManifest(string path)
    {
        var manifest = RunManifest.Read(System.IO.Path.Combine(path, ManifestFile));
        return manifest.Status == RunStatus.Running && !HasLiveOwner(path)
            ? manifest with { Status = RunStatus.Interrupted, Message = $"{ProcessGone} after {manifest.EpochsCompleted} finished epochs" }
            : manifest;
    }

    public static IReadOnlyList<EpochMetrics> ReadMetrics(string path) => MetricsCsv.Read(System.IO.Path.Combine(path, MetricsFile));

    public void Dispose()
    {
        try
        {
            EnsureIntact(); // the owner file of a folder put in this one's place is not this run's to delete
            File.Delete(System.IO.Path.Combine(Path, OwnerFile));
        }
        catch (Exception e) when (e is ScratchNetException or IOException or UnauthorizedAccessException)
        {
            // the folder is gone or cannot be written: the error that stopped the run has been reported already
        }
        _lock.Dispose();
    }
}

/// <summary>What a folder holds that a new run must not write over: a run (<paramref name="IsRun"/>; <paramref name="Finished"/>
/// when it completed) or other files.</summary>
public sealed record FolderOccupant(bool IsRun, bool Finished, string Description);

/// <summary>The run folder was removed or replaced while the run was writing it. Exit code 9.</summary>
public sealed class RunFolderGoneException : ScratchNetException
{
    public RunFolderGoneException(string message) : base(message, ExitCodes.RunFolderGone) { }

    public RunFolderGoneException() : this("The run folder was removed while the run was writing it.") { }

    public RunFolderGoneException(string message, Exception inner) : base(message, ExitCodes.RunFolderGone, inner) { }
}
