using ScratchNet.Models;
using ScratchNet.Runs;

namespace ScratchNet.Torch.Tests;

public class TrainerTests
{
    private static readonly TorchClassificationData Blobs = SyntheticProblem.Blobs();

    [Theory]
    [InlineData(ModelKind.LogisticRegression, OptimizerKind.Sgd, Activation.Relu, 1)]
    [InlineData(ModelKind.Mlp, OptimizerKind.Sgd, Activation.Relu, 1)]
    [InlineData(ModelKind.Mlp, OptimizerKind.Adam, Activation.Tanh, 2)]
    public void Trains_a_separable_problem_to_high_accuracy(ModelKind model, OptimizerKind optimizer, Activation activation, int layers)
    {
        var options = TorchOptions.Mlp with
        {
            Model = model, Optimizer = optimizer, Activation = activation, Layers = layers, HiddenSize = 16,
            Epochs = 5, BatchSize = 8, LearningRate = optimizer == OptimizerKind.Adam ? 0.01 : 0.05, Dropout = 0.1,
        };

        var result = TorchClassifierTrainer.Train(options, Blobs);

        Assert.True(result.TestAccuracy > 0.9, $"test accuracy {result.TestAccuracy}");
        Assert.True(result.Epochs[^1].DevAccuracy > 0.9, $"dev accuracy {result.Epochs[^1].DevAccuracy}");
        Assert.True(result.Epochs[^1].EpochMeanLoss < result.Epochs[0].EpochMeanLoss);
        Assert.Equal(5 * 75, result.Steps); // 600 examples / batch 8 = 75 steps per epoch
    }

    [Fact]
    public void Same_seed_gives_identical_runs_and_another_seed_differs()
    {
        var options = TorchOptions.Mlp with { Epochs = 2, BatchSize = 4, HiddenSize = 8, Dropout = 0.3 };

        var first = TorchClassifierTrainer.Train(options, Blobs);
        var again = TorchClassifierTrainer.Train(options, Blobs);
        var other = TorchClassifierTrainer.Train(options with { Seed = 43 }, Blobs);

        Assert.Equal(first.Epochs.Select(e => e.RunningMeanLoss), again.Epochs.Select(e => e.RunningMeanLoss));
        Assert.Equal(first.Parameters[0].Data, again.Parameters[0].Data);
        Assert.NotEqual(first.Parameters[0].Data, other.Parameters[0].Data);
    }

    [Fact]
    public void Running_mean_is_the_course_mean_over_all_epochs_so_far()
    {
        // 600 examples, batch 7: 86 steps per epoch (the last one has 5 examples), so epochs weigh equally.
        var result = TorchClassifierTrainer.Train(TorchOptions.Mlp with { Model = ModelKind.LogisticRegression, Epochs = 3, BatchSize = 7 }, Blobs);

        Assert.Equal(3 * 86, result.Steps);
        Assert.Equal(result.Epochs[0].EpochMeanLoss, result.Epochs[0].RunningMeanLoss, 5);
        for (int epoch = 1; epoch < 3; epoch++)
        {
            double expected = result.Epochs.Take(epoch + 1).Average(e => e.EpochMeanLoss);
            Assert.Equal(expected, result.Epochs[epoch].RunningMeanLoss, 5);
            Assert.NotEqual(result.Epochs[epoch].EpochMeanLoss, result.Epochs[epoch].RunningMeanLoss, 5);
        }
    }

    [Fact]
    public void Reports_progress_once_per_epoch_in_order()
    {
        var reported = new List<TorchEpochProgress>();
        var result = TorchClassifierTrainer.Train(TorchOptions.Mlp with { Model = ModelKind.LogisticRegression, Epochs = 3, BatchSize = 32 }, Blobs,
            new SynchronousProgress(reported.Add));

        Assert.Equal([1, 2, 3], reported.Select(p => p.Epoch));
        Assert.Equal(result.Epochs, reported);
        Assert.All(reported, p => Assert.True(p.Seconds >= 0));
    }

    [Fact]
    public void Cancellation_stops_between_steps()
    {
        using var cancellation = new CancellationTokenSource();
        int epochs = 0;
        var progress = new SynchronousProgress(_ =>
        {
            epochs++;
            cancellation.Cancel();
        });

        Assert.Throws<OperationCanceledException>(() =>
            TorchClassifierTrainer.Train(TorchOptions.Mlp with { Model = ModelKind.LogisticRegression, Epochs = 10, BatchSize = 32 }, Blobs, progress, cancellation.Token));
        Assert.Equal(1, epochs);
    }

    [Fact]
    public void Observer_sees_every_step_and_epoch_and_test_predictions_match_the_test_accuracy()
    {
        var observer = new RecordingObserver();

        var result = TorchClassifierTrainer.Train(TorchOptions.Mlp with { Epochs = 2, BatchSize = 32, HiddenSize = 8 }, Blobs, observer);

        // 600 examples in batches of 32: 19 steps per epoch, the last one short
        var expectedDone = Enumerable.Range(1, 19).Select(step => Math.Min(step * 32, 600)).ToArray();
        Assert.Equal(expectedDone.Concat(expectedDone), observer.Steps.Select(s => s.Done));
        Assert.Equal(Enumerable.Repeat(1, 19).Concat(Enumerable.Repeat(2, 19)), observer.Steps.Select(s => s.Epoch));
        Assert.All(observer.Steps, s => Assert.Equal(600, s.Total));
        Assert.Equal(result.Epochs, observer.Epochs);
        Assert.Equal(Blobs.Test.Count, result.TestPredictions.Length);
        double fromPredictions = result.TestPredictions.Where((predicted, i) => predicted == Blobs.Test.Labels[i]).Count() / (double)Blobs.Test.Count;
        Assert.Equal(fromPredictions, result.TestAccuracy);
        Assert.Equal(result.Epochs[^1].TestAccuracy, result.TestAccuracy);
        Assert.False(result.Diverged);
    }

    [Fact]
    public void A_non_finite_loss_stops_the_run_and_says_where()
    {
        var observer = new RecordingObserver();

        // η = 100 through three ReLU layers: the activations grow by orders of magnitude per step until float32 overflows
        var result = TorchClassifierTrainer.Train(TorchOptions.Mlp with { Epochs = 3, LearningRate = 100, Dropout = 0, Layers = 3 }, Blobs, observer);

        Assert.True(result.Diverged);
        Assert.Matches(@"^the loss became (NaN|∞|-∞|Infinity|-Infinity) in epoch 1 at example \d+ of 600$", result.Divergence);
        Assert.Empty(result.Epochs);
        Assert.Empty(observer.Epochs);
        Assert.Empty(result.TestPredictions);
        Assert.True(double.IsNaN(result.TestAccuracy));
        Assert.Equal(observer.Steps.Count, result.Steps);
    }

    [Fact]
    public void Invalid_options_and_data_are_rejected_with_the_valid_range()
    {
        var badBatch = Assert.Throws<UsageException>(() => TorchClassifierTrainer.Train(TorchOptions.Mlp with { BatchSize = 0 }, Blobs));
        Assert.Contains("0 is out of range: expected an integer from 1 to 1000000", badBatch.Message, StringComparison.Ordinal);
        var badLabels = Blobs with { Dev = new TorchSplit(new float[8], [3]) };
        Assert.Contains("0..2", Assert.Throws<ArgumentException>(() => TorchClassifierTrainer.Train(TorchOptions.Mlp, badLabels)).Message, StringComparison.Ordinal);
        var badLength = Blobs with { Test = new TorchSplit(new float[7], [0]) };
        Assert.Contains("expected 8", Assert.Throws<ArgumentException>(() => TorchClassifierTrainer.Train(TorchOptions.Mlp, badLength)).Message, StringComparison.Ordinal);
    }

    private sealed class SynchronousProgress(Action<TorchEpochProgress> report) : IProgress<TorchEpochProgress>
    {
        public void Report(TorchEpochProgress value) => report(value);
    }

    private sealed class RecordingObserver : ITorchTrainingObserver
    {
        public List<(int Epoch, int Done, int Total)> Steps { get; } = [];
        public List<TorchEpochProgress> Epochs { get; } = [];

        public void OnStep(int epoch, int examplesDone, int examplesTotal) => Steps.Add((epoch, examplesDone, examplesTotal));

        public void OnEpoch(TorchEpochProgress epoch) => Epochs.Add(epoch);
    }
}
