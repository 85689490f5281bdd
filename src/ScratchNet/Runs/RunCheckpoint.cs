using System.Globalization;
using System.Text.Json;
using ScratchNet.IO;

namespace ScratchNet.Runs;

/// <summary>
/// <c>checkpoint.safetensors</c>, for either engine: the engine's state tensors, and metadata holding the epoch, the hash of
/// the options that fix the trajectory (all but the epoch count), the epoch history and the seconds trained so far.
/// </summary>
public static class RunCheckpoint
{
    /// <summary>
    /// The last epoch checkpoint of the run in <paramref name="folder"/> (either engine): its tensors, the epoch history and
    /// the seconds trained so far, after checking that it was written with <paramref name="options"/> (the epoch count aside).
    /// </summary>
    public static (IReadOnlyList<SafeTensor> Tensors, List<EpochMetrics> History, double Seconds) Read(string folder, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Require(folder);
        var path = Path.Combine(folder, RunFolder.CheckpointFile);
        var bytes = File.ReadAllBytes(path);
        var metadata = SafeTensors.ReadMetadata(bytes, path);
        var expected = ResumeHash(options);
        if (!metadata.TryGetValue("resume_hash", out var found) || found != expected)
            throw MessageTerms.UsageError($"{{Resume}}: {path} was written with other options (hash {found ?? "none"}, these give {expected}); pass the options of the interrupted run (see its manifest.json).");
        var tensors = SafeTensors.Parse(bytes, path);
        var history = ReadHistory(path, metadata);
        if (!metadata.TryGetValue("seconds", out var secondsText)
            || !double.TryParse(secondsText, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds >= 0 && double.IsFinite(seconds)))
            throw MessageTerms.DataError($"{path}: its metadata 'seconds' is missing or not a time in seconds; {CorruptFix}.");
        return (tensors, history, seconds);
    }

    /// <summary>The checkpoint metadata a resumed run needs, for either engine.</summary>
    public static Dictionary<string, string> Metadata(TrainingOptions options, IReadOnlyList<EpochMetrics> history, double seconds)
    {
        ArgumentNullException.ThrowIfNull(history);
        return new()
        {
            ["epoch"] = history.Count.ToString(CultureInfo.InvariantCulture),
            ["resume_hash"] = ResumeHash(options),
            ["history"] = JsonSerializer.Serialize(history, RunJson.Options),
            ["seconds"] = seconds.ToString("R", CultureInfo.InvariantCulture),
        };
    }

    private static List<EpochMetrics> ReadHistory(string path, IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue("history", out var json))
            throw MessageTerms.DataError($"{path}: the checkpoint lacks its epoch history (metadata 'history'); {CorruptFix}.");
        try
        {
            var history = JsonSerializer.Deserialize<List<EpochMetrics>>(json, RunJson.Options);
            return history is null || history.Any(epoch => epoch is null)
                ? throw MessageTerms.DataError($"{path}: its metadata 'history' is null or holds a null epoch; {CorruptFix}.")
                : history;
        }
        catch (JsonException e)
        {
            throw MessageTerms.DataError($"{path}: its metadata 'history' is not a list of epoch metrics ({MessageText.Printable(e.Message, 200)}); {CorruptFix}.", e);
        }
    }

    /// <summary>
    /// Throws a <see cref="UsageException"/> when <paramref name="folder"/> has no checkpoint to resume from; the commands call
    /// it before opening the folder, so a mistaken --resume creates nothing.
    /// </summary>
    public static void Require(string folder)
    {
        var path = Path.Combine(folder, RunFolder.CheckpointFile);
        if (!File.Exists(path))
            throw MessageTerms.UsageError($"{{Resume}}: {path} does not exist (no epoch of this run finished); {{StartAfresh}} instead.");
    }

    /// <summary>The fix of a checkpoint that cannot be read, a <see cref="MessageTerms"/> template.</summary>
    private const string CorruptFix = "the checkpoint is corrupt: delete the folder and {StartAfresh}";

    /// <summary>Every option that changes the trajectory; the epoch count may grow on resume.</summary>
    public static string ResumeHash(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (options with { Epochs = 1 }).ConfigHash();
    }
}
