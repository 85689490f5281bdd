namespace ScratchNet.Torch.Tests;

public class TrainerTests
{
    private static readonly TorchClassificationData Blobs = SyntheticProblem.Blobs();

    [Theory]
    [InlineData(TorchModelKind.LogisticRegression, TorchOptimizerKind.Sgd, TorchActivation.Relu, 1)]
    [InlineData(TorchModelKind.FeedforwardNetwork, TorchOptimizerKind.Sgd, TorchActivation.Relu, 1)]
    [InlineData(TorchModelKind.FeedforwardNetwork, TorchOptimizerKind.Adam, TorchActivation.Tanh, 2)]
    public void Trains_a_separable_problem_to_high_accuracy(TorchModelKind model, TorchOptimizerKind optimizer, TorchActivation activation, int layers)
    {
        var options = new TorchRunOptions
        {
            Model = model, Optimizer = optimizer, Activation = activation, Layers = layers, HiddenSize = 16,
            Epochs = 5, BatchSize = 8, LearningRate = optimizer == TorchOptimizerKind.Adam ? 0.01 : 0.05, Dropout = 0.1,
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
        var options = new TorchRunOptions { Epochs = 2, BatchSize = 4, HiddenSize = 8, Dropout = 0.3 };

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
        var result = TorchClassifierTrainer.Train(new TorchRunOptions { Model = TorchModelKind.LogisticRegression, Epochs = 3, BatchSize = 7 }, Blobs);

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
        var result = TorchClassifierTrainer.Train(new TorchRunOptions { Model = TorchModelKind.LogisticRegression, Epochs = 3, BatchSize = 32 }, Blobs,
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
            TorchClassifierTrainer.Train(new TorchRunOptions { Model = TorchModelKind.LogisticRegression, Epochs = 10, BatchSize = 32 }, Blobs, progress, cancellation.Token));
        Assert.Equal(1, epochs);
    }

    [Fact]
    public void Invalid_options_and_data_are_rejected_with_the_valid_range()
    {
        var badBatch = Assert.Throws<ArgumentException>(() => TorchClassifierTrainer.Train(new TorchRunOptions { BatchSize = 0 }, Blobs));
        Assert.Contains("BatchSize is 0; valid: 1 or more", badBatch.Message, StringComparison.Ordinal);
        var badLabels = Blobs with { Dev = new TorchSplit(new float[8], [3]) };
        Assert.Contains("0..2", Assert.Throws<ArgumentException>(() => TorchClassifierTrainer.Train(new TorchRunOptions(), badLabels)).Message, StringComparison.Ordinal);
        var badLength = Blobs with { Test = new TorchSplit(new float[7], [0]) };
        Assert.Contains("expected 8", Assert.Throws<ArgumentException>(() => TorchClassifierTrainer.Train(new TorchRunOptions(), badLength)).Message, StringComparison.Ordinal);
    }

    private sealed class SynchronousProgress(Action<TorchEpochProgress> report) : IProgress<TorchEpochProgress>
    {
        public void Report(TorchEpochProgress value) => report(value);
    }
}
