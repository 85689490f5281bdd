using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ScratchNet.Data;
using ScratchNet.IO;
using ScratchNet.Randomness;
using ScratchNet.Runs;

namespace ScratchNet.Training;

/// <summary>
/// One training run with its run folder: the manifest at the start, after each epoch the checkpoint (weights,
/// optimizer state, epoch, history; the numpy stream is restored by replaying its draws), metrics.csv and the
/// manifest, at the end model.safetensors (and the test predictions of a classifier). With <c>resume</c>, the
/// last checkpoint is loaded and the run continues to the same result an uninterrupted run reaches.
/// </summary>
public sealed class TrainingRun(TrainingOptions options, ILearner learner, IEpochOrders stream, RunFolder folder, DataProvenance? data)
{
    public TrainingOptions Options => options;
    public ILearner Learner => learner;
    public RunFolder Folder => folder;
    public List<EpochMetrics> History { get; } = [];

    public TrainingOutcome Execute(bool resume, ITrainingObserver observer, CancellationToken cancellation)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var previousSeconds = 0.0;
        if (resume)
            previousSeconds = Resume();
        CheckpointEpoch = History.Count;
        var manifest = new RunManifest
        {
            Name = Path.GetFileName(folder.Path), Status = RunStatus.Running, Options = options, ConfigHash = options.ConfigHash(),
            Data = data, Environment = RunEnvironment.Current(), StartedUtc = started, EpochsCompleted = History.Count,
        };
        var checkpointing = new CheckpointingObserver(this, observer, manifest, () => previousSeconds + clock.Elapsed.TotalSeconds);
        try
        {
            folder.WriteManifest(manifest);
            var outcome = Trainer.Run(learner, stream, options.Epochs, options.BatchSize, History, checkpointing, cancellation);
            if (outcome.Status == RunStatus.Completed)
            {
                var weights = learner.Weights();
                folder.WriteModel(weights, ModelMetadata.Describe(options, weights));
                if (learner is IClassifierLearner classifier)
                    folder.WritePredictions(classifier.TestSet.Labels, classifier.Predict(classifier.TestSet));
            }
            // Also when no epoch finished (a divergence or Ctrl+C in epoch 1): the message points at metrics.csv.
            folder.WriteMetrics(History);
            folder.WriteManifest(checkpointing.Manifest(outcome.Status, outcome.Message) with { FinishedUtc = DateTimeOffset.UtcNow });
            return outcome;
        }
        catch (Exception e) when (e is not RunFolderGoneException)
        {
            // Never a stale Running: record how the run ended if the folder can still take it.
            throw RunFailure.Record(e, folder, (status, message) => checkpointing.Manifest(status, message) with { FinishedUtc = DateTimeOffset.UtcNow },
                CheckpointEpoch > 0
                    ? $"the last good checkpoint, epoch {CheckpointEpoch}, is kept: continue with --resume {folder.Path}"
                    : "no checkpoint was written: run the same command again (it starts from epoch 1)");
        }
    }

    /// <summary>The epoch of the checkpoint on disk (0 when none): the one --resume continues from.</summary>
    public int CheckpointEpoch { get; private set; }

    private double Resume()
    {
        var checkpoint = ReadCheckpoint(folder.Path, options);
        learner.LoadState(checkpoint.Tensors, folder.CheckpointPath);
        History.AddRange(checkpoint.History);
        CheckpointEpoch = checkpoint.History.Count;
        return checkpoint.Seconds;
    }

    /// <summary>
    /// The last epoch checkpoint of the run in <paramref name="folder"/> (either engine): its tensors, the epoch history and
    /// the seconds trained so far, after checking that it was written with <paramref name="options"/> (the epoch count aside).
    /// </summary>
    public static (IReadOnlyList<SafeTensor> Tensors, List<EpochMetrics> History, double Seconds) ReadCheckpoint(string folder, TrainingOptions options)
    {
        RequireCheckpoint(folder);
        var path = Path.Combine(folder, RunFolder.CheckpointFile);
        var bytes = File.ReadAllBytes(path);
        var metadata = SafeTensors.ReadMetadata(bytes, path);
        var expected = ResumeHash(options);
        if (!metadata.TryGetValue("resume_hash", out var found) || found != expected)
            throw new UsageException($"--resume: {path} was written with other options (hash {found ?? "none"}, these give {expected}); pass the options of the interrupted run (see its manifest.json).");
        var tensors = SafeTensors.Parse(bytes, path);
        var history = ReadHistory(path, metadata);
        if (!metadata.TryGetValue("seconds", out var secondsText)
            || !double.TryParse(secondsText, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds >= 0 && double.IsFinite(seconds)))
            throw new DataException($"{path}: its metadata 'seconds' is missing or not a time in seconds; the checkpoint is corrupt: delete the folder and re-run without --resume.");
        return (tensors, history, seconds);
    }

    /// <summary>The checkpoint metadata a resumed run needs, for either engine.</summary>
    public static Dictionary<string, string> CheckpointMetadata(TrainingOptions options, IReadOnlyList<EpochMetrics> history, double seconds) => new()
    {
        ["epoch"] = history.Count.ToString(CultureInfo.InvariantCulture),
        ["resume_hash"] = ResumeHash(options),
        ["history"] = JsonSerializer.Serialize(history, RunJson.Options),
        ["seconds"] = seconds.ToString("R", CultureInfo.InvariantCulture),
    };

    private static List<EpochMetrics> ReadHistory(string path, IReadOnlyDictionary<string, string> metadata)
    {
        const string fix = "the checkpoint is corrupt: delete the folder and re-run without --resume";
        if (!metadata.TryGetValue("history", out var json))
            throw new DataException($"{path}: the checkpoint lacks its epoch history (metadata 'history'); {fix}.");
        try
        {
            var history = JsonSerializer.Deserialize<List<EpochMetrics>>(json, RunJson.Options);
            return history is null || history.Any(epoch => epoch is null)
                ? throw new DataException($"{path}: its metadata 'history' is null or holds a null epoch; {fix}.")
                : history;
        }
        catch (JsonException e)
        {
            throw new DataException($"{path}: its metadata 'history' is not a list of epoch metrics ({MessageText.Printable(e.Message, 200)}); {fix}.", e);
        }
    }

    /// <summary>
    /// Throws a <see cref="UsageException"/> when <paramref name="folder"/> has no checkpoint to resume from; the commands call
    /// it before opening the folder, so a mistaken --resume creates nothing.
    /// </summary>
    public static void RequireCheckpoint(string folder)
    {
        var path = Path.Combine(folder, RunFolder.CheckpointFile);
        if (!File.Exists(path))
            throw new UsageException($"--resume: {path} does not exist (no epoch of this run finished). Run without --resume to start afresh.");
    }

    // Every option that changes the trajectory; the epoch count may grow on resume.
    public static string ResumeHash(TrainingOptions options) => (options with { Epochs = 1 }).ConfigHash();

    private sealed class CheckpointingObserver(TrainingRun run, ITrainingObserver inner, RunManifest start, Func<double> seconds) : ITrainingObserver
    {
        public void OnProgress(int epoch, int examplesDone, int examplesTotal) => inner.OnProgress(epoch, examplesDone, examplesTotal);

        public void OnEpoch(EpochMetrics epoch)
        {
            var steps = run.History.Sum(e => e.TrainLoss ?? 0);
            run.History[^1] = epoch = epoch with { TrainLossRunning = steps / run.History.Count };
            var metadata = CheckpointMetadata(run.Options, run.History, seconds());
            metadata["rng"] = run.Options.Stream == RandomStream.Torch
                ? $"libtorch manual_seed({run.Options.Seed}): the init draws, then each finished epoch's order and dropout masks (replayed on resume)"
                : $"numpy RandomState({run.Options.Seed}): the init draws, then one permutation per finished epoch (replayed on resume)";
            run.Folder.WriteCheckpoint(run.Learner.SaveState(), metadata);
            run.CheckpointEpoch = epoch.Epoch;
            run.Folder.WriteMetrics(run.History);
            run.Folder.WriteManifest(Manifest(RunStatus.Running, null));
            inner.OnEpoch(epoch);
        }

        public RunManifest Manifest(RunStatus status, string? message) => start with
        {
            Status = status, Message = message, Seconds = seconds(), EpochsCompleted = run.History.Count,
            Final = run.History.Count == 0 ? new Dictionary<string, double>() : Final(run.History[^1]),
        };

        private static Dictionary<string, double> Final(EpochMetrics last)
        {
            var final = new Dictionary<string, double>();
            void Add(string name, double? value)
            {
                if (value is { } v)
                    final[name] = v;
            }
            Add("train_loss", last.TrainLoss);
            Add("train_rmse", last.TrainRmse);
            Add("test_rmse", last.TestRmse);
            Add("weight_distance", last.WeightDistance);
            Add("train_accuracy", last.TrainAccuracy);
            Add("dev_accuracy", last.DevAccuracy);
            Add("test_accuracy", last.TestAccuracy);
            return final;
        }
    }
}

/// <summary>A learner of a classifier: it can predict the test set for <c>test_predictions.csv</c>.</summary>
public interface IClassifierLearner : ILearner
{
    LabeledImages TestSet { get; }

    int[] Predict(LabeledImages examples);
}
