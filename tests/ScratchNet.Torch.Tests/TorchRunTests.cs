using System.Globalization;
using ScratchNet.IO;
using ScratchNet.Runs;
using ScratchNet.Training;

namespace ScratchNet.Torch.Tests;

/// <summary>
/// The torch engine through the CLI's path (<see cref="RunDriver"/> with a <see cref="TorchRunEngine"/>): Q4 settings on the course's Fashion-MNIST split,
/// the run folder's files and their agreement with each other, and how a run ends when it diverges, is interrupted or
/// is asked to resume.
/// </summary>
public sealed class TorchRunTests(CourseFashionMnist course) : IClassFixture<CourseFashionMnist>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("scratchnet-torchrun-").FullName;

    [Theory]
    [InlineData(ModelKind.LogisticRegression, "linear.weight:10x784 linear.bias:10")]
    [InlineData(ModelKind.Mlp, "layers.0.weight:200x784 layers.0.bias:200 layers.3.weight:10x200 layers.3.bias:10")]
    public void Smoke_run_on_5000_examples_writes_a_complete_run_folder_with_a_sane_accuracy(ModelKind model, string parameters)
    {
        var options = Presets.For(model, "q4").OnEngine(Engine.Torch) with { Epochs = 1, TrainLimit = 5_000 };
        var observer = new RecordingObserver();

        var (outcome, folderPath) = Train(options, observer);

        Assert.Equal(RunStatus.Completed, outcome.Status);
        var manifest = RunFolder.ReadManifest(folderPath);
        Assert.Equal((RunStatus.Completed, 1, options, options.ConfigHash()), (manifest.Status, manifest.EpochsCompleted, manifest.Options, manifest.ConfigHash));
        Assert.NotNull(manifest.FinishedUtc);
        Assert.Equal(course.Data.Checksums.OrderBy(c => c.Key), manifest.Data!.Sha256.OrderBy(c => c.Key));
        Assert.Equal(4, manifest.Data.Sha256.Count);
        Assert.Contains($"libtorch {TorchEngine.LibTorchVersion}", manifest.Environment.TorchSharp, StringComparison.Ordinal);

        var epoch = Assert.Single(RunFolder.ReadMetrics(folderPath));
        // one epoch of per-example SGD on 5,000 images (chance: 0.1): logistic ≈ 0.80, the MLP (dropout 0.3) ≈ 0.69 (the
        // scratch engine on the same settings: 0.75 and 0.77); per-example SGD leaves the last examples' imprint, so the floor is loose
        Assert.True(epoch.TestAccuracy > 0.6, $"test accuracy {epoch.TestAccuracy:F4}");
        Assert.True(epoch.DevAccuracy > 0.6, $"dev accuracy {epoch.DevAccuracy:F4}");
        Assert.Equal(epoch.TrainLoss!.Value, epoch.TrainLossRunning!.Value, 4); // one epoch: the running mean is the epoch mean (float32 sum)
        Assert.Equal(epoch.TestAccuracy, manifest.Final["test_accuracy"]);
        Assert.Equal(epoch, Assert.Single(observer.Epochs));
        Assert.Equal(5_000, observer.Steps.Count);
        Assert.All(observer.Steps, s => Assert.Equal((1, 5_000), (s.Epoch, s.Total)));
        Assert.Equal(Enumerable.Range(1, 5_000), observer.Steps.Select(s => s.Done));

        var tensors = SafeTensors.Read(Path.Combine(folderPath, RunFolder.ModelFile));
        Assert.Equal(parameters, string.Join(" ", tensors.Select(t => $"{t.Name}:{string.Join("x", t.Shape)}")));
        Assert.All(tensors, t => Assert.Equal("F32", t.DType));
        Assert.All(tensors, t => Assert.All(t.ToFloats(), v => Assert.True(float.IsFinite(v))));

        var predictions = File.ReadAllLines(Path.Combine(folderPath, RunFolder.PredictionsFile));
        Assert.Equal("index,label,predicted", predictions[0]);
        var rows = predictions.Skip(1).Select(line => line.Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.Equal(Enumerable.Range(0, 10_000), rows.Select(r => r[0]));
        Assert.Equal(course.Data.Test.Labels.ToArray().Select(l => (int)l), rows.Select(r => r[1]));
        Assert.Equal(epoch.TestAccuracy!.Value, rows.Count(r => r[1] == r[2]) / 10_000.0, 12);
        Assert.Equal(
            [RunFolder.CheckpointFile, RunFolder.ManifestFile, RunFolder.MetricsFile, RunFolder.ModelFile, RunFolder.PredictionsFile],
            Directory.GetFiles(folderPath).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_diverging_run_stops_with_status_Diverged_and_a_hint_to_lower_the_learning_rate()
    {
        // η = 100 through three ReLU layers: the activations grow by orders of magnitude per step until float32 overflows
        var options = Presets.For(ModelKind.Mlp, "q4").OnEngine(Engine.Torch) with { Epochs = 2, TrainLimit = 500, LearningRate = 100, Dropout = 0, Layers = 3 };

        var (outcome, folderPath) = Train(options, new RecordingObserver());

        Assert.Equal(RunStatus.Diverged, outcome.Status);
        Assert.Contains("try a smaller learning rate (the learning rate is now 100)", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("try a smaller learning rate ({LearningRate} is now 100)", outcome.Template, StringComparison.Ordinal); // the CLI names --lr
        var manifest = RunFolder.ReadManifest(folderPath);
        Assert.Equal((RunStatus.Diverged, outcome.Message), (manifest.Status, manifest.Message));
        Assert.Matches("^training diverged: the loss became (NaN|-?∞|-?Infinity) in epoch 1 at example", outcome.Message);
        Assert.Empty(RunFolder.ReadMetrics(folderPath));
        Assert.False(File.Exists(Path.Combine(folderPath, RunFolder.ModelFile)));
        Assert.False(File.Exists(Path.Combine(folderPath, RunFolder.PredictionsFile)));
    }

    [Fact]
    public void Cancellation_ends_the_run_as_Interrupted_keeping_the_finished_epochs()
    {
        using var cancellation = new CancellationTokenSource();
        var options = Presets.For(ModelKind.LogisticRegression, "q4").OnEngine(Engine.Torch) with { Epochs = 3, TrainLimit = 300 };

        var (outcome, folderPath) = Train(options, new RecordingObserver(onEpoch: cancellation.Cancel), cancellation.Token);

        Assert.Equal(RunStatus.Interrupted, outcome.Status);
        var manifest = RunFolder.ReadManifest(folderPath);
        Assert.Equal((RunStatus.Interrupted, 1), (manifest.Status, manifest.EpochsCompleted));
        Assert.Single(RunFolder.ReadMetrics(folderPath));
        Assert.False(File.Exists(Path.Combine(folderPath, RunFolder.ModelFile)));
    }

    [Theory]
    [InlineData("adam")] // Adam's step count and moments must come back
    [InlineData("sgd")]
    public void Interrupted_mid_epoch_then_resumed_ends_byte_identical_to_an_uninterrupted_run(string optimizer)
    {
        // dropout 0.3 (q4) and mini-batches: the masks and the DataLoader's seed draws both come from the global generator,
        // which the interrupted epoch 2 advanced past the checkpoint's state
        var options = Presets.For(ModelKind.Mlp, "q4").OnEngine(Engine.Torch) with
        {
            Epochs = 3, TrainLimit = 500, HiddenSize = 32, BatchSize = 16, LearningRate = 0.001,
            Optimizer = optimizer == "adam" ? OptimizerKind.Adam : OptimizerKind.Sgd,
        };
        var (reference, referenceFolder) = Train(options, new RecordingObserver());
        Assert.Equal(RunStatus.Completed, reference.Status);

        using var cancellation = new CancellationTokenSource();
        var stopInEpoch2 = new RecordingObserver(onProgress: (epoch, done) =>
        {
            if (epoch == 2 && done >= 240)
                cancellation.Cancel();
        });
        var (interrupted, folderPath) = Train(options, stopInEpoch2, cancellation.Token);
        Assert.Equal(RunStatus.Interrupted, interrupted.Status);
        Assert.Equal(1, RunFolder.ReadManifest(folderPath).EpochsCompleted);
        Assert.Contains(stopInEpoch2.Steps, s => s.Epoch == 2); // it did train (and draw) past the checkpoint

        var resumed = new RecordingObserver();
        TrainingOutcome outcome;
        using (var folder = RunFolder.Open(folderPath))
            outcome = Driver(options, folder).Execute(resume: true, resumed, CancellationToken.None);

        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal([2, 3], resumed.Epochs.Select(e => e.Epoch));
        Assert.Equal(File.ReadAllBytes(Path.Combine(referenceFolder, RunFolder.ModelFile)), File.ReadAllBytes(Path.Combine(folderPath, RunFolder.ModelFile)));
        Assert.Equal(File.ReadAllBytes(Path.Combine(referenceFolder, RunFolder.PredictionsFile)), File.ReadAllBytes(Path.Combine(folderPath, RunFolder.PredictionsFile)));
        Assert.Equal(WithoutTimes(referenceFolder), WithoutTimes(folderPath));
        var manifest = RunFolder.ReadManifest(folderPath);
        Assert.Equal((RunStatus.Completed, 3, options.ConfigHash()), (manifest.Status, manifest.EpochsCompleted, manifest.ConfigHash));
    }

    [Fact]
    public void A_fault_inside_the_engine_marks_the_manifest_Failed_and_the_run_resumes_from_its_last_checkpoint()
    {
        var options = Presets.For(ModelKind.LogisticRegression, "q4").OnEngine(Engine.Torch) with { Epochs = 2, TrainLimit = 300, BatchSize = 10 };
        var (reference, referenceFolder) = Train(options, new RecordingObserver());
        Assert.Equal(RunStatus.Completed, reference.Status);
        // the fault is thrown from inside the trainer's step loop (its step callback), holding libtorch's lock, mid-epoch 2
        var faulty = new RecordingObserver(onProgress: (epoch, done) =>
        {
            if (epoch == 2 && done >= 150)
                throw new InvalidOperationException("injected fault");
        });
        var folderPath = Path.Combine(_root, "faulty");

        using (var folder = RunFolder.Open(folderPath))
            Assert.Equal("injected fault", Assert.Throws<InvalidOperationException>(() => Driver(options, folder).Execute(resume: false, faulty, CancellationToken.None)).Message);

        var manifest = RunFolder.ReadManifest(folderPath);
        Assert.Equal((RunStatus.Failed, 1), (manifest.Status, manifest.EpochsCompleted));
        Assert.Equal("internal error: InvalidOperationException: injected fault", manifest.Message);
        Assert.NotNull(manifest.FinishedUtc);
        using (var folder = RunFolder.Open(folderPath))
            Assert.Equal(RunStatus.Completed, Driver(options, folder).Execute(resume: true, new RecordingObserver(), CancellationToken.None).Status);
        Assert.Equal(File.ReadAllBytes(Path.Combine(referenceFolder, RunFolder.ModelFile)), File.ReadAllBytes(Path.Combine(folderPath, RunFolder.ModelFile)));
    }

    [Fact]
    public void Both_engines_write_the_same_manifest_keys_and_final_metrics()
    {
        var options = Presets.For(ModelKind.LogisticRegression, "q4").OnEngine(Engine.Torch) with { Epochs = 1, TrainLimit = 200, BatchSize = 10 };
        var (torch, torchFolder) = Train(options, new RecordingObserver());
        // q3's scratch classifier measures the training accuracy each epoch, as the torch engine does (the scratch engine on
        // libtorch's stream leaves it out, to keep the q4 runs' epochs short)
        var scratchOptions = Presets.For(ModelKind.LogisticRegression, "q3") with { Epochs = 1, TrainLimit = 200 };
        var scratchFolder = Path.Combine(_root, "scratch");
        var (learner, stream) = LearnerFactory.ForClassification(scratchOptions, course.Data.Train.Take(200), course.Data.Dev, course.Data.Test);
        TrainingOutcome scratch;
        using (var folder = RunFolder.Open(scratchFolder))
            scratch = new RunDriver(scratchOptions, new ScratchRunEngine(scratchOptions, learner, stream), folder, new TorchRunEngine(options, course.Data).Provenance).Execute(false, new RecordingObserver(), CancellationToken.None);

        Assert.Equal((RunStatus.Completed, RunStatus.Completed), (torch.Status, scratch.Status));
        Assert.Equal(["dev_accuracy", "test_accuracy", "train_accuracy", "train_loss", "train_loss_running"], RunFolder.ReadManifest(torchFolder).Final.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(RunFolder.ReadManifest(torchFolder).Final.Keys.Order(StringComparer.Ordinal), RunFolder.ReadManifest(scratchFolder).Final.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ManifestKeys(torchFolder), ManifestKeys(scratchFolder));
    }

    private static List<string> ManifestKeys(string folder) =>
        [.. System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, RunFolder.ManifestFile))).RootElement.EnumerateObject().Select(p => p.Name)];

    [Fact]
    public void Resume_without_a_checkpoint_is_refused_before_anything_is_written()
    {
        var folderPath = Path.Combine(_root, "resume");
        using var folder = RunFolder.Open(folderPath);
        var run = Driver(Presets.For(ModelKind.LogisticRegression, "q4").OnEngine(Engine.Torch), folder);

        var error = Assert.Throws<UsageException>(() => run.Execute(resume: true, new RecordingObserver(), CancellationToken.None));

        Assert.Contains("checkpoint.safetensors does not exist", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.ManifestPath));
    }

    private static List<EpochMetrics> WithoutTimes(string folder) => [.. RunFolder.ReadMetrics(folder).Select(e => e with { Seconds = 0 })];

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private (TrainingOutcome Outcome, string Folder) Train(TrainingOptions options, ITrainingObserver observer, CancellationToken cancellation = default)
    {
        var folderPath = Path.Combine(_root, $"run-{Guid.NewGuid():N}");
        using var folder = RunFolder.Open(folderPath);
        var outcome = Driver(options, folder).Execute(resume: false, observer, cancellation);
        return (outcome, folderPath);
    }

    private RunDriver Driver(TrainingOptions options, RunFolder folder)
    {
        var engine = new TorchRunEngine(options, course.Data);
        return new RunDriver(options, engine, folder, engine.Provenance);
    }

    private sealed class RecordingObserver(Action? onEpoch = null, Action<int, int>? onProgress = null) : ITrainingObserver
    {
        public List<(int Epoch, int Done, int Total)> Steps { get; } = [];
        public List<EpochMetrics> Epochs { get; } = [];

        public void OnProgress(int epoch, int examplesDone, int examplesTotal)
        {
            Steps.Add((epoch, examplesDone, examplesTotal));
            onProgress?.Invoke(epoch, examplesDone);
        }

        public void OnEpoch(EpochMetrics epoch)
        {
            Epochs.Add(epoch);
            onEpoch?.Invoke();
        }
    }
}
