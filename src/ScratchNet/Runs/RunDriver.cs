using System.Diagnostics;

namespace ScratchNet.Runs;

/// <summary>
/// One training run with its run folder, for either engine (<see cref="IRunEngine"/>): the manifest at the start (Running);
/// after each epoch the checkpoint, metrics.csv and the manifest; at the end model.safetensors, the test predictions of a
/// classifier and the final manifest. Every engine's run ends with the same statuses and the same final-metric keys, and
/// a run that throws is never left saying Running (<see cref="RunFailure"/>). With <c>resume</c>, the last checkpoint is
/// loaded and the run continues to the same result an uninterrupted run reaches.
/// </summary>
public sealed class RunDriver(TrainingOptions options, IRunEngine engine, RunFolder folder, DataProvenance? data)
{
    public TrainingOptions Options => options;
    public IRunEngine Engine => engine;
    public RunFolder Folder => folder;
    public List<EpochMetrics> History { get; } = [];

    /// <summary>The epoch of the checkpoint on disk (0 when none): the one --resume continues from.</summary>
    public int CheckpointEpoch { get; private set; }

    /// <summary>Trains and writes the run folder; with <paramref name="resume"/>, continues from the folder's last checkpoint.</summary>
    public TrainingOutcome Execute(bool resume, ITrainingObserver observer, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var previousSeconds = 0.0;
        if (resume)
        {
            var checkpoint = RunCheckpoint.Read(folder.Path, options);
            engine.Restore(checkpoint.Tensors, checkpoint.History, folder.CheckpointPath);
            History.AddRange(checkpoint.History);
            previousSeconds = checkpoint.Seconds;
        }
        CheckpointEpoch = History.Count;
        var start = new RunManifest
        {
            Name = Path.GetFileName(folder.Path), Status = RunStatus.Running, Options = options, ConfigHash = options.ConfigHash(),
            Data = data, Environment = RunEnvironment.Current(engine.LibraryVersion), StartedUtc = started, EpochsCompleted = History.Count,
        };
        var seconds = () => previousSeconds + clock.Elapsed.TotalSeconds;
        RunManifest Manifest(RunStatus status, string? message) => start with
        {
            Status = status, Message = message, Seconds = seconds(), EpochsCompleted = History.Count,
            Final = History.Count == 0 ? new Dictionary<string, double>() : FinalMetrics(History[^1]),
        };
        try
        {
            folder.WriteManifest(start);
            folder.WriteMetrics(History); // the header: a run that diverges in its first epoch still leaves a readable history
            var outcome = engine.Train(History, new CheckpointingObserver(this, observer, () => Manifest(RunStatus.Running, null), seconds), cancellation);
            if (outcome.Status == RunStatus.Completed)
            {
                var weights = engine.Weights();
                folder.WriteModel(weights, ModelMetadata.Describe(options, weights));
                if (engine.Predictions() is { } predictions)
                    folder.WritePredictions(predictions.Labels, predictions.Predicted);
            }
            folder.WriteMetrics(History);
            var message = outcome.Message ?? (outcome.Status == RunStatus.Interrupted ? $"interrupted after {History.Count} finished epochs" : null);
            folder.WriteManifest(Manifest(outcome.Status, message) with { FinishedUtc = DateTimeOffset.UtcNow });
            return outcome;
        }
        catch (Exception e) when (e is not RunFolderGoneException)
        {
            // Never a stale Running: record how the run ended if the folder can still take it.
            throw RunFailure.Record(e, folder, (status, message) => Manifest(status, message) with { FinishedUtc = DateTimeOffset.UtcNow },
                CheckpointEpoch > 0
                    ? $"the last good checkpoint, epoch {CheckpointEpoch}, is kept: continue {{WithResume}} {folder.Path}"
                    : "no checkpoint was written: run the same command again (it starts from epoch 1)");
        }
    }

    /// <summary>The manifest's <c>final</c>: every metric the last epoch measured, under its metrics.csv column name.</summary>
    public static Dictionary<string, double> FinalMetrics(EpochMetrics last)
    {
        ArgumentNullException.ThrowIfNull(last);
        var final = new Dictionary<string, double>();
        foreach (var (name, value) in new[]
        {
            ("train_loss", last.TrainLoss), ("train_loss_running", last.TrainLossRunning), ("train_rmse", last.TrainRmse),
            ("test_rmse", last.TestRmse), ("weight_distance", last.WeightDistance), ("train_accuracy", last.TrainAccuracy),
            ("dev_accuracy", last.DevAccuracy), ("test_accuracy", last.TestAccuracy),
        })
        {
            if (value is { } v)
                final[name] = v;
        }
        return final;
    }

    // Each epoch: the checkpoint, metrics.csv and the manifest, then the caller's observer; progress goes straight through.
    private sealed class CheckpointingObserver(RunDriver run, ITrainingObserver inner, Func<RunManifest> running, Func<double> seconds) : ITrainingObserver
    {
        public void OnProgress(int epoch, int examplesDone, int examplesTotal) => inner.OnProgress(epoch, examplesDone, examplesTotal);

        public void OnEpoch(EpochMetrics epoch)
        {
            var metadata = RunCheckpoint.Metadata(run.Options, run.History, seconds());
            foreach (var (key, value) in run.Engine.CheckpointNotes)
                metadata[key] = value;
            run.Folder.WriteCheckpoint(run.Engine.CheckpointState(), metadata);
            run.CheckpointEpoch = epoch.Epoch;
            run.Folder.WriteMetrics(run.History);
            run.Folder.WriteManifest(running());
            inner.OnEpoch(epoch);
        }
    }
}
