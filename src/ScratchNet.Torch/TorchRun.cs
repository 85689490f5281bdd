using System.Diagnostics;
using ScratchNet.Data;
using ScratchNet.IO;
using ScratchNet.Training;

namespace ScratchNet.Torch;

/// <summary>
/// One torch-engine run with its run folder, writing what the scratch engine's <see cref="TrainingRun"/> writes:
/// manifest.json (Running at the start and after every epoch, the final status at the end), metrics.csv after every epoch,
/// and at the end model.safetensors (F32, PyTorch's parameter names) and test_predictions.csv. There is no checkpoint and
/// no resume: a torch run restarts from epoch 1. The first non-finite loss ends the run as <see cref="RunStatus.Diverged"/>;
/// cancellation ends it between steps as <see cref="RunStatus.Interrupted"/>.
/// </summary>
public sealed class TorchRun
{
    private readonly FashionMnist _data;
    private readonly TorchRunOptions _torchOptions;

    /// <summary>Checks the options at once (a <see cref="UsageException"/> names any the torch engine does not implement).</summary>
    public TorchRun(TrainingOptions options, FashionMnist data, RunFolder folder)
    {
        _torchOptions = TorchRunSetup.ToTorchOptions(options);
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

    /// <summary>The error for --resume on the torch engine.</summary>
    public static UsageException ResumeNotSupported() => new(
        "--resume is not supported by --engine torch: torch runs keep no checkpoint (libtorch's generator state is not saved). " +
        "Run again without --resume; the run restarts from epoch 1 and, seeded, repeats its epochs exactly.");

    /// <summary>Trains and writes the run folder; <paramref name="resume"/> is refused (torch runs keep no checkpoint).</summary>
    public TrainingOutcome Execute(bool resume, ITrainingObserver observer, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (resume)
            throw ResumeNotSupported();
        var clock = Stopwatch.StartNew();
        var start = new RunManifest
        {
            Name = Path.GetFileName(Folder.Path), Status = RunStatus.Running, Options = Options, ConfigHash = Options.ConfigHash(),
            Data = new DataProvenance("fashion-mnist", _data.Directory, _data.Checksums),
            Environment = RunEnvironment.Current(EngineVersion()), StartedUtc = DateTimeOffset.UtcNow,
        };
        RunManifest Manifest(RunStatus status, string? message) => start with
        {
            Status = status, Message = message, Seconds = clock.Elapsed.TotalSeconds, EpochsCompleted = History.Count,
            Final = History.Count == 0 ? new Dictionary<string, double>() : Final(History[^1]),
        };
        Folder.WriteManifest(start);
        Folder.WriteMetrics(History); // the header: a run that diverges in its first epoch still leaves a readable history

        var data = TorchRunSetup.ToTorchData(_data, Options.TrainLimit);
        var epochs = new FolderObserver(this, observer, () => Manifest(RunStatus.Running, null));
        TrainingOutcome outcome;
        try
        {
            var result = TorchClassifierTrainer.Train(_torchOptions, data, epochs, cancellation);
            outcome = result.Diverged
                ? new(RunStatus.Diverged, $"training diverged: {result.Divergence}; try a smaller learning rate (--lr, now {Options.LearningRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}).")
                : Finish(result, data.Test.Count);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            outcome = new(RunStatus.Interrupted, $"interrupted after {History.Count} finished epochs");
        }
        catch (Exception e) when (e is not ScratchNetException)
        {
            Folder.WriteManifest(Manifest(RunStatus.Failed, e.Message) with { FinishedUtc = DateTimeOffset.UtcNow });
            throw;
        }
        Folder.WriteManifest(Manifest(outcome.Status, outcome.Message) with { FinishedUtc = DateTimeOffset.UtcNow });
        return outcome;
    }

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
        foreach (var (name, value) in new[] { ("train_loss", last.TrainLoss), ("train_loss_running", last.TrainLossRunning), ("dev_accuracy", last.DevAccuracy), ("test_accuracy", last.TestAccuracy) })
        {
            if (value is { } v)
                final[name] = v;
        }
        return final;
    }

    // Each epoch: history, metrics.csv and the manifest, then the caller's observer; each step goes straight through.
    private sealed class FolderObserver(TorchRun run, ITrainingObserver inner, Func<RunManifest> running) : ITorchTrainingObserver
    {
        public void OnStep(int epoch, int examplesDone, int examplesTotal) => inner.OnProgress(epoch, examplesDone, examplesTotal);

        public void OnEpoch(TorchEpochProgress epoch)
        {
            var metrics = new EpochMetrics
            {
                Epoch = epoch.Epoch, Seconds = epoch.Seconds, TrainLoss = epoch.EpochMeanLoss, TrainLossRunning = epoch.RunningMeanLoss,
                DevAccuracy = epoch.DevAccuracy, TestAccuracy = epoch.TestAccuracy,
            };
            run.History.Add(metrics);
            run.Folder.WriteMetrics(run.History);
            run.Folder.WriteManifest(running());
            inner.OnEpoch(metrics);
        }
    }
}
