using ScratchNet.IO;
using ScratchNet.Models;
using ScratchNet.Runs;
using ScratchNet.Training;

namespace ScratchNet.Tests.Training;

/// <summary>Run folders, checkpoints and --resume on small synthetic problems.</summary>
public sealed class TrainingRunTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("scratchnet-run-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static readonly TrainingOptions Mlp = new()
    {
        Model = ModelKind.Mlp, Epochs = 4, LearningRate = 0.01, HiddenSize = 12, Layers = 2, Dropout = 0.25,
        Optimizer = OptimizerKind.Adam, BatchSize = 3, L2 = 1e-3, Init = InitKind.Torch, Seed = 7,
    };

    private (TrainingOutcome Outcome, List<EpochMetrics> History) Classify(TrainingOptions options, string name, bool resume = false,
        ITrainingObserver? observer = null, CancellationToken cancellation = default)
    {
        var (train, dev, test) = (Synthetic.Images(120, 1), Synthetic.Images(40, 2), Synthetic.Images(40, 3));
        var (learner, stream) = LearnerFactory.ForClassification(options, train, dev, test);
        using var folder = RunFolder.Open(Path.Combine(_root, name));
        var run = new RunDriver(options, new ScratchRunEngine(options, learner, stream), folder, data: null);
        var outcome = run.Execute(resume, observer ?? NullObserver.Instance, cancellation);
        return (outcome, run.History);
    }

    private byte[] File(string run, string file) => System.IO.File.ReadAllBytes(Path.Combine(_root, run, file));

    [Theory]
    [InlineData(Precision.Float64, RandomStream.Numpy)]
    [InlineData(Precision.Float32, RandomStream.Numpy)]
    [InlineData(Precision.Float32, RandomStream.Torch)] // replays the orders and skips the dropout draws of libtorch's one generator
    [InlineData(Precision.Float32, RandomStream.TorchMkl)] // there one draw per mask (its MKL seed), one mask per batch of 3
    public void Resume_after_two_epochs_finishes_bit_identical_to_an_uninterrupted_run(Precision precision, RandomStream stream)
    {
        var options = Mlp with { Precision = precision, Stream = stream };
        var (whole, wholeHistory) = Classify(options, "whole");
        Classify(options with { Epochs = 2 }, "split");
        var (resumed, resumedHistory) = Classify(options, "split", resume: true);

        Assert.Equal(RunStatus.Completed, whole.Status);
        Assert.Equal(RunStatus.Completed, resumed.Status);
        Assert.Equal(File("whole", RunFolder.ModelFile), File("split", RunFolder.ModelFile));
        Assert.Equal(File("whole", RunFolder.PredictionsFile), File("split", RunFolder.PredictionsFile));
        Assert.Equal(wholeHistory.Select(e => e with { Seconds = 0 }), resumedHistory.Select(e => e with { Seconds = 0 }));
        Assert.True(wholeHistory[^1].DevAccuracy > 0.5, $"the synthetic task should be learnable; dev {wholeHistory[^1].DevAccuracy}");
    }

    [Fact]
    public void Ctrl_c_stops_after_the_step_and_the_run_resumes_to_the_same_result()
    {
        var (whole, _) = Classify(Mlp, "whole");
        using var cancel = new CancellationTokenSource();
        var stopper = new CancelAt(cancel, epoch: 3, examples: 60);
        var (stopped, history) = Classify(Mlp, "stopped", observer: stopper, cancellation: cancel.Token);
        Assert.Equal(RunStatus.Interrupted, stopped.Status);
        Assert.Equal(2, history.Count);
        Assert.Equal(RunStatus.Interrupted, RunFolder.ReadManifest(Path.Combine(_root, "stopped")).Status);

        var (resumed, _) = Classify(Mlp, "stopped", resume: true);
        Assert.Equal(RunStatus.Completed, resumed.Status);
        Assert.Equal(File("whole", RunFolder.ModelFile), File("stopped", RunFolder.ModelFile));
    }

    [Fact]
    public void A_fault_inside_the_engine_marks_the_manifest_Failed_and_the_run_resumes_from_its_last_checkpoint()
    {
        var (whole, _) = Classify(Mlp, "whole");
        Assert.Equal(RunStatus.Completed, whole.Status);
        var (train, dev, test) = (Synthetic.Images(120, 1), Synthetic.Images(40, 2), Synthetic.Images(40, 3));
        var (learner, stream) = LearnerFactory.ForClassification(Mlp, train, dev, test);
        var folderPath = Path.Combine(_root, "faulty");

        using (var folder = RunFolder.Open(folderPath))
        {
            var faulty = new FaultyLearner(learner, failAtBatch: 40 + 20); // 40 batches of 3 per epoch: mid-epoch 2
            var run = new RunDriver(Mlp, new ScratchRunEngine(Mlp, faulty, stream), folder, null);
            Assert.Equal("injected fault", Assert.Throws<InvalidOperationException>(() => run.Execute(false, NullObserver.Instance, CancellationToken.None)).Message);
        }

        var manifest = RunFolder.ReadManifest(folderPath);
        Assert.Equal((RunStatus.Failed, 1), (manifest.Status, manifest.EpochsCompleted));
        Assert.Equal("internal error: InvalidOperationException: injected fault", manifest.Message);
        Assert.NotNull(manifest.FinishedUtc);
        var (resumed, _) = Classify(Mlp, "faulty", resume: true);
        Assert.Equal(RunStatus.Completed, resumed.Status);
        Assert.Equal(File("whole", RunFolder.ModelFile), File("faulty", RunFolder.ModelFile));
    }

    // The scratch engine's learner with a fault injected: the n-th training batch throws.
    private sealed class FaultyLearner(ILearner inner, int failAtBatch) : ILearner
    {
        private int _batches;

        public int TrainingCount => inner.TrainingCount;

        public void BeginEpoch(int epoch) => inner.BeginEpoch(epoch);

        public double TrainBatch(ReadOnlySpan<int> indices) =>
            ++_batches == failAtBatch ? throw new InvalidOperationException("injected fault") : inner.TrainBatch(indices);

        public EpochMetrics Evaluate(int epoch) => inner.Evaluate(epoch);

        public IReadOnlyList<SafeTensor> Weights() => inner.Weights();

        public IReadOnlyList<SafeTensor> SaveState() => inner.SaveState();

        public void LoadState(IReadOnlyList<SafeTensor> tensors, string source) => inner.LoadState(tensors, source);
    }

    [Fact]
    public void Resume_with_other_options_is_refused()
    {
        Classify(Mlp with { Epochs = 1 }, "run");
        var error = Assert.Throws<UsageException>(() => Classify(Mlp with { LearningRate = 0.02 }, "run", resume: true));
        Assert.Contains("other options", error.Message, StringComparison.Ordinal);
    }

    [Theory] // found while fuzzing the checkpoint reader: these escaped as JsonException, KeyNotFoundException or FormatException
    [InlineData("history", "[{")]
    [InlineData("history", "[null]")]
    [InlineData("history", null)]
    [InlineData("seconds", "soon")]
    [InlineData("seconds", null)]
    public void Resume_from_a_checkpoint_with_damaged_metadata_is_a_data_error(string key, string? value)
    {
        Classify(Mlp with { Epochs = 1 }, "run");
        var path = Path.Combine(_root, "run", RunFolder.CheckpointFile);
        var bytes = System.IO.File.ReadAllBytes(path);
        var metadata = SafeTensors.ReadMetadata(bytes, path).ToDictionary();
        if (value is null)
            metadata.Remove(key);
        else
            metadata[key] = value;
        SafeTensors.Write(path, SafeTensors.Parse(bytes, path), metadata);
        var error = Assert.Throws<DataException>(() => Classify(Mlp, "run", resume: true));
        Assert.Contains(RunFolder.CheckpointFile, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_folder_holds_manifest_metrics_weights_checkpoint_and_predictions()
    {
        var (outcome, history) = Classify(Mlp with { Epochs = 2 }, "run");
        Assert.Equal(RunStatus.Completed, outcome.Status);
        var folder = Path.Combine(_root, "run");
        var manifest = RunFolder.ReadManifest(folder);
        Assert.Equal((RunStatus.Completed, 2), (manifest.Status, manifest.EpochsCompleted));
        Assert.Equal(history[^1].DevAccuracy, manifest.Final["dev_accuracy"]);
        Assert.Equal(2, RunFolder.ReadMetrics(folder).Count);
        var weights = SafeTensors.Read(Path.Combine(folder, RunFolder.ModelFile));
        Assert.Equal(["W1", "b1", "W2", "b2", "W3", "b3"], weights.Select(t => t.Name));
        Assert.Equal([12L, 36L], weights[0].Shape);
        Assert.Equal("F64", weights[0].DType);
        Assert.True(System.IO.File.Exists(Path.Combine(folder, RunFolder.CheckpointFile)));
        Assert.Equal(41, System.IO.File.ReadAllLines(Path.Combine(folder, RunFolder.PredictionsFile)).Length);
    }

    [Fact]
    public void Divergence_stops_the_run_with_a_hint_and_keeps_the_history()
    {
        var options = new TrainingOptions { Model = ModelKind.LinearRegression, Epochs = 50, LearningRate = 0.5, Seed = 1 };
        var (learner, stream) = LearnerFactory.ForRegression(options, Synthetic.Regression(60, 8, 1), Synthetic.Regression(20, 8, 2));
        using var folder = RunFolder.Open(Path.Combine(_root, "diverged"));
        var run = new RunDriver(options, new ScratchRunEngine(options, learner, stream), folder, null);
        var outcome = run.Execute(false, NullObserver.Instance, CancellationToken.None);
        Assert.Equal(RunStatus.Diverged, outcome.Status);
        Assert.Contains("try a smaller learning rate.", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("try {SmallerLearningRate}.", outcome.Template, StringComparison.Ordinal); // the CLI adds --lr
        var manifest = RunFolder.ReadManifest(folder.Path);
        Assert.Equal(RunStatus.Diverged, manifest.Status);
        Assert.Equal(run.History.Count, manifest.EpochsCompleted);
        Assert.True(run.History.Count >= 1, "the epochs before the divergence are kept");
    }

    private sealed class CancelAt(CancellationTokenSource source, int epoch, int examples) : ITrainingObserver
    {
        public void OnProgress(int current, int examplesDone, int examplesTotal)
        {
            if (current == epoch && examplesDone >= examples)
                source.Cancel();
        }

        public void OnEpoch(EpochMetrics metrics)
        {
        }
    }
}
