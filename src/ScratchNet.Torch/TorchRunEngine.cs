using System.Diagnostics;
using ScratchNet.Data;
using ScratchNet.IO;
using ScratchNet.Runs;
using ScratchNet.Training;

namespace ScratchNet.Torch;

/// <summary>
/// One torch-engine run with its run folder, writing what the scratch engine's <see cref="TrainingRun"/> writes:
/// manifest.json (Running at the start and after every epoch, the final status at the end), metrics.csv after every epoch,
/// checkpoint.safetensors after every epoch (parameters, optimizer state, libtorch's global generator state, every step's
/// loss: see <see cref="TorchCheckpoint"/>), and at the end model.safetensors (F32, PyTorch's parameter names) and
/// test_predictions.csv. A resumed run ends identical to an uninterrupted one. The first non-finite loss ends the run as <see cref="RunStatus.Diverged"/>;
/// cancellation ends it between steps as <see cref="RunStatus.Interrupted"/>.
/// </summary>
public sealed class TorchRun
{
    private readonly FashionMnist _data;

    /// <summary>Checks the options at once (a <see cref="UsageException"/> names any the torch engine does not implement).</summary>
    public TorchRun(TrainingOptions options, FashionMnist data, RunFolder folder)
    {
        TorchRunSetup.RequireSupported(options);
        (Options, _data, Folder) = (options, data, folder);
    }

    public TrainingOptions Options { get; }
    public RunFolder Folder { get; }
    public List<EpochMetrics> History { get; } = [];

    /// <summary>"TorchSharp 0.107.0, libtorch 2.10.0"; loads libtorch (a <see cref="ScratchNetException"/> says how to fix a failed load).</summary>
    public static string EngineVersion()
    {
        var torchSharp = typeof(TorchSharp.torch).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "unknown";
        try
        {
            return $"TorchSharp {torchSharp}, libtorch {TorchEngine.LibTorchVersion}";
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException or BadImageFormatException)
        {
            throw new ScratchNetException(
                $"libtorch could not be loaded ({e.GetBaseException().Message.Split('\n')[0]}). Rebuild with ./scratchnet (the build patches " +
                "libLibTorchSharp.so for Debian 12's libstdc++), or see the Troubleshooting section of docs/torch.md; --engine scratch needs no libtorch.",
                ExitCodes.InternalError, e);
        }
    }

    /// <summary>Trains and writes the run folder; with <paramref name="resume"/>, continues from the folder's last checkpoint.</summary>
    public TrainingOutcome Execute(bool resume, ITrainingObserver observer, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var previousSeconds = 0.0;
        TorchCheckpoint? resumeFrom = null;
        if (resume)
        {
            var (tensors, history, seconds) = TrainingRun.ReadCheckpoint(Folder.Path, Options);
            resumeFrom = FromTensors(tensors, history.Count, Folder.CheckpointPath);
            History.AddRange(history);
            previousSeconds = seconds;
            CheckpointEpoch = history.Count;
        }
        var stopwatch = Stopwatch.StartNew();
        var clock = new Func<double>(() => previousSeconds + stopwatch.Elapsed.TotalSeconds);
        var start = new RunManifest
        {
            Name = Path.GetFileName(Folder.Path), Status = RunStatus.Running, Options = Options, ConfigHash = Options.ConfigHash(),
            Data = new DataProvenance("fashion-mnist", _data.Directory, _data.Checksums),
            Environment = RunEnvironment.Current(EngineVersion()), StartedUtc = DateTimeOffset.UtcNow, EpochsCompleted = History.Count,
        };
        RunManifest Manifest(RunStatus status, string? message) => start with
        {
            Status = status, Message = message, Seconds = clock(), EpochsCompleted = History.Count,
            Final = History.Count == 0 ? new Dictionary<string, double>() : Final(History[^1]),
        };
        try
        {
            Folder.WriteManifest(start);
            Folder.WriteMetrics(History); // the header: a run that diverges in its first epoch still leaves a readable history

            var data = TorchRunSetup.ToTorchData(_data, Options.TrainLimit);
            var epochs = new FolderObserver(this, observer, () => Manifest(RunStatus.Running, null), clock);
            TrainingOutcome outcome;
            try
            {
                var result = TorchClassifierTrainer.Train(Options, data, epochs, cancellation, resumeFrom);
                outcome = result.Diverged
                    ? new(RunStatus.Diverged, $"training diverged: {result.Divergence}; try a smaller learning rate (--lr, now {Options.LearningRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}).")
                    : Finish(result, data.Test.Count);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                outcome = new(RunStatus.Interrupted, $"interrupted after {History.Count} finished epochs");
            }
            Folder.WriteManifest(Manifest(outcome.Status, outcome.Message) with { FinishedUtc = DateTimeOffset.UtcNow });
            return outcome;
        }
        catch (Exception e) when (e is not RunFolderGoneException)
        {
            // Never a stale Running: record how the run ended if the folder can still take it.
            throw RunFailure.Record(e, Folder, (status, message) => Manifest(status, message) with { FinishedUtc = DateTimeOffset.UtcNow },
                CheckpointEpoch > 0
                    ? $"the last good checkpoint, epoch {CheckpointEpoch}, is kept: continue with --resume {Folder.Path}"
                    : "no checkpoint was written: run the same command again (it starts from epoch 1)");
        }
    }

    /// <summary>The epoch of the checkpoint on disk (0 when none): the one --resume continues from.</summary>
    public int CheckpointEpoch { get; private set; }

    private TrainingOutcome Finish(TorchTrainingResult result, int testCount)
    {
        var tensors = result.Parameters.Select(p => SafeTensor.FromFloats(p.Name, p.Data, p.Shape)).ToArray();
        Folder.WriteModel(tensors, ModelMetadata.Describe(Options, tensors));
        if (result.TestPredictions.Length != testCount)
            throw new InvalidOperationException($"{result.TestPredictions.Length} test predictions for {testCount} test examples.");
        Folder.WritePredictions(_data.Test.Labels, result.TestPredictions);
        return new(RunStatus.Completed);
    }

    private static Dictionary<string, double> Final(EpochMetrics last)
    {
        var final = new Dictionary<string, double>();
        foreach (var (name, value) in new[] { ("train_loss", last.TrainLoss), ("train_loss_running", last.TrainLossRunning), ("train_accuracy", last.TrainAccuracy), ("dev_accuracy", last.DevAccuracy), ("test_accuracy", last.TestAccuracy) })
        {
            if (value is { } v)
                final[name] = v;
        }
        return final;
    }

    private const string OptimizerTensor = "optimizer.state";
    private const string GeneratorTensor = "generator.state";
    private const string LossesTensor = "losses";
    private const string ParameterPrefix = "model.";

    private static IReadOnlyList<SafeTensor> ToTensors(TorchCheckpoint checkpoint) =>
    [
        .. checkpoint.Parameters.Select(p => SafeTensor.FromFloats(ParameterPrefix + p.Name, p.Data, p.Shape)),
        new SafeTensor(OptimizerTensor, "U8", [checkpoint.OptimizerState.Length], checkpoint.OptimizerState),
        new SafeTensor(GeneratorTensor, "U8", [checkpoint.GeneratorState.Length], checkpoint.GeneratorState),
        SafeTensor.FromFloats(LossesTensor, checkpoint.Losses, checkpoint.Losses.Length),
    ];

    private static TorchCheckpoint FromTensors(IReadOnlyList<SafeTensor> tensors, int epoch, string path)
    {
        SafeTensor Require(string name, string dtype) =>
            tensors.FirstOrDefault(t => t.Name == name && t.DType == dtype)
            ?? throw new DataException($"{path}: tensor '{name}' ({dtype}) is missing; it is not a torch-engine checkpoint. Resume with the options of the interrupted run, or start afresh with a new --out.");
        var parameters = tensors.Where(t => t.Name.StartsWith(ParameterPrefix, StringComparison.Ordinal))
            .Select(t => new NamedArray<float>(t.Name[ParameterPrefix.Length..], t.ToFloats(), t.Shape)).ToList();
        if (parameters.Count == 0)
            throw new DataException($"{path}: no 'model.*' tensors; it is not a torch-engine checkpoint. Start afresh with a new --out.");
        return new TorchCheckpoint(epoch, parameters, Require(OptimizerTensor, "U8").Data, Require(GeneratorTensor, "U8").Data, Require(LossesTensor, "F32").ToFloats());
    }

    // Each epoch: the checkpoint, history, metrics.csv and the manifest, then the caller's observer; each step goes straight through.
    private sealed class FolderObserver(TorchRun run, ITrainingObserver inner, Func<RunManifest> running, Func<double> seconds) : ITorchTrainingObserver
    {
        private TorchCheckpoint? _checkpoint;

        public bool WantsCheckpoints => true;

        public void OnCheckpoint(TorchCheckpoint checkpoint) => _checkpoint = checkpoint;

        public void OnStep(int epoch, int examplesDone, int examplesTotal) => inner.OnProgress(epoch, examplesDone, examplesTotal);

        public void OnEpoch(TorchEpochProgress epoch)
        {
            var metrics = new EpochMetrics
            {
                Epoch = epoch.Epoch, Seconds = epoch.Seconds, TrainLoss = epoch.EpochMeanLoss, TrainLossRunning = epoch.RunningMeanLoss,
                TrainAccuracy = epoch.TrainAccuracy, DevAccuracy = epoch.DevAccuracy, TestAccuracy = epoch.TestAccuracy,
            };
            run.History.Add(metrics);
            if (_checkpoint is { } checkpoint)
            {
                run.Folder.WriteCheckpoint(ToTensors(checkpoint), TrainingRun.CheckpointMetadata(run.Options, run.History, seconds()));
                run.CheckpointEpoch = epoch.Epoch;
            }
            run.Folder.WriteMetrics(run.History);
            run.Folder.WriteManifest(running());
            inner.OnEpoch(metrics);
        }
    }
}
