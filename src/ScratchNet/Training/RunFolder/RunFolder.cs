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
    private const string LockFile = ".lock";
    private const string OwnerFile = ".lock.owner";

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
