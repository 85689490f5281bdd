using ScratchNet.Data;
using ScratchNet.IO;
using ScratchNet.Runs;

namespace ScratchNet.Torch;

/// <summary>
/// The torch engine behind the <see cref="RunDriver"/>: the course's hw1-q4.py loop on TorchSharp
/// (<see cref="TorchClassifierTrainer"/>). Its checkpoint holds the parameters, the optimizer state, libtorch's global
/// generator state and every step's loss (see <see cref="TorchCheckpoint"/>); its model.safetensors is F32 under PyTorch's
/// parameter names. The first non-finite loss ends the run as <see cref="RunStatus.Diverged"/>; cancellation ends it
/// between steps as <see cref="RunStatus.Interrupted"/>.
/// </summary>
public sealed class TorchRunEngine : IRunEngine
{
    private readonly TrainingOptions _options;
    private readonly FashionMnist _data;
    private TorchCheckpoint? _resumeFrom;
    private TorchCheckpoint? _checkpoint;
    private TorchTrainingResult? _result;

    /// <summary>Checks the options at once (a <see cref="UsageException"/> names any the torch engine does not implement).</summary>
    public TorchRunEngine(TrainingOptions options, FashionMnist data)
    {
        _options = TorchRunSetup.RequireSupported(options);
        _data = data ?? throw new ArgumentNullException(nameof(data));
    }

    /// <summary>Where the run's data came from, for its manifest.</summary>
    public DataProvenance Provenance => new("fashion-mnist", _data.Directory, _data.Checksums);

    public string? LibraryVersion => EngineVersion();

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
            var template = $"libtorch could not be loaded ({e.GetBaseException().Message.Split('\n')[0]}). Rebuild with ./scratchnet (the build patches " +
                "libLibTorchSharp.so for Debian 12's libstdc++), or see the Troubleshooting section of docs/torch.md; {Engine} scratch needs no libtorch.";
            throw new ScratchNetException(SettingNames.Message(template), ExitCodes.InternalError, e) { Template = template };
        }
    }

    public void Restore(IReadOnlyList<SafeTensor> tensors, IReadOnlyList<EpochMetrics> history, string source) =>
        _resumeFrom = FromTensors(tensors, history.Count, source);

    public TrainingOutcome Train(List<EpochMetrics> history, ITrainingObserver observer, CancellationToken cancellation)
    {
        var data = TorchRunSetup.ToTorchData(_data, _options.TrainLimit);
        try
        {
            _result = TorchClassifierTrainer.Train(_options, data, new EpochObserver(this, history, observer), cancellation, _resumeFrom);
            return _result.Diverged
                ? TrainingOutcome.Diverged($"training diverged: {_result.Divergence}; try a smaller learning rate ({{LearningRate}} is now {_options.LearningRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}).")
                : new(RunStatus.Completed);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return new(RunStatus.Interrupted, $"interrupted after {history.Count} finished epochs");
        }
    }

    public IReadOnlyList<SafeTensor> CheckpointState() =>
        ToTensors(_checkpoint ?? throw new InvalidOperationException("No checkpoint: the torch trainer reports one before each epoch."));

    public IReadOnlyDictionary<string, string> CheckpointNotes { get; } = new Dictionary<string, string>();

    public IReadOnlyList<SafeTensor> Weights() =>
        [.. Finished().Parameters.Select(p => SafeTensor.FromFloats(p.Name, p.Data, p.Shape))];

    public TestPredictions? Predictions()
    {
        var predicted = Finished().TestPredictions;
        var labels = _data.Test.Labels.ToArray();
        if (predicted.Length != labels.Length)
            throw new InvalidOperationException($"{predicted.Length} test predictions for {labels.Length} test examples.");
        return new(labels, predicted);
    }

    private TorchTrainingResult Finished() =>
        _result is { Diverged: false } result ? result : throw new InvalidOperationException("The torch run has not completed.");

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
            ?? throw MessageTerms.DataError($"{path}: tensor '{name}' ({dtype}) is missing; it is not a torch-engine checkpoint. Resume with the options of the interrupted run, or start afresh with {{NewOut}}.");
        var parameters = tensors.Where(t => t.Name.StartsWith(ParameterPrefix, StringComparison.Ordinal))
            .Select(t => new NamedArray<float>(t.Name[ParameterPrefix.Length..], t.ToFloats(), t.Shape)).ToList();
        if (parameters.Count == 0)
            throw MessageTerms.DataError($"{path}: no 'model.*' tensors; it is not a torch-engine checkpoint. Start afresh with {{NewOut}}.");
        return new TorchCheckpoint(epoch, parameters, Require(OptimizerTensor, "U8").Data, Require(GeneratorTensor, "U8").Data, Require(LossesTensor, "F32").ToFloats());
    }

    // Each epoch: its metrics into the history, then the driver's observer (which writes the checkpoint); each step goes straight through.
    private sealed class EpochObserver(TorchRunEngine engine, List<EpochMetrics> history, ITrainingObserver inner) : ITorchTrainingObserver
    {
        public bool WantsCheckpoints => true;

        public void OnCheckpoint(TorchCheckpoint checkpoint) => engine._checkpoint = checkpoint;

        public void OnStep(int epoch, int examplesDone, int examplesTotal) => inner.OnProgress(epoch, examplesDone, examplesTotal);

        public void OnEpoch(TorchEpochProgress epoch)
        {
            var metrics = new EpochMetrics
            {
                Epoch = epoch.Epoch, Seconds = epoch.Seconds, TrainLoss = epoch.EpochMeanLoss, TrainLossRunning = epoch.RunningMeanLoss,
                TrainAccuracy = epoch.TrainAccuracy, DevAccuracy = epoch.DevAccuracy, TestAccuracy = epoch.TestAccuracy,
            };
            history.Add(metrics);
            inner.OnEpoch(metrics);
        }
    }
}
