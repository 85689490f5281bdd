using ScratchNet.Data;
using ScratchNet.IO;
using ScratchNet.Randomness;
using ScratchNet.Runs;

namespace ScratchNet.Training;

/// <summary>
/// The scratch engine behind the <see cref="RunDriver"/>: a learner driven by the <see cref="Trainer"/> loop. Its checkpoint
/// holds the weights and the optimizer state; the random stream is restored by replaying its draws.
/// </summary>
public sealed class ScratchRunEngine(TrainingOptions options, ILearner learner, IEpochOrders stream) : IRunEngine
{
    public ILearner Learner => learner;

    public string? LibraryVersion => null;

    public void Restore(IReadOnlyList<SafeTensor> tensors, IReadOnlyList<EpochMetrics> history, string source) => learner.LoadState(tensors, source);

    public TrainingOutcome Train(List<EpochMetrics> history, ITrainingObserver observer, CancellationToken cancellation) =>
        Trainer.Run(learner, stream, options.Epochs, options.BatchSize, history, new RunningLoss(history, observer), cancellation);

    public IReadOnlyList<SafeTensor> CheckpointState() => learner.SaveState();

    public IReadOnlyDictionary<string, string> CheckpointNotes => new Dictionary<string, string>
    {
        ["rng"] = options.Stream.IsTorch()
            ? $"libtorch manual_seed({options.Seed}), dropout masks {(options.Stream == RandomStream.TorchMkl ? "through MKL's MCG31 as on an Intel CPU" : "element by element")}: the init draws, then each finished epoch's order and dropout masks (replayed on resume)"
            : $"numpy RandomState({options.Seed}): the init draws, then one permutation per finished epoch (replayed on resume)",
    };

    public IReadOnlyList<SafeTensor> Weights() => learner.Weights();

    public TestPredictions? Predictions() =>
        learner is IClassifierLearner classifier ? new(classifier.TestSet.Labels.ToArray(), classifier.Predict(classifier.TestSet)) : null;

    // The course's PyTorch script printed the mean loss over all epochs so far: each epoch gets it before it is reported.
    private sealed class RunningLoss(List<EpochMetrics> history, ITrainingObserver inner) : ITrainingObserver
    {
        public void OnProgress(int epoch, int examplesDone, int examplesTotal) => inner.OnProgress(epoch, examplesDone, examplesTotal);

        public void OnEpoch(EpochMetrics epoch)
        {
            var steps = history.Sum(e => e.TrainLoss ?? 0);
            history[^1] = epoch = epoch with { TrainLossRunning = steps / history.Count };
            inner.OnEpoch(epoch);
        }
    }
}

/// <summary>A learner of a classifier: it can predict the test set for <c>test_predictions.csv</c>.</summary>
public interface IClassifierLearner : ILearner
{
    LabeledImages TestSet { get; }

    int[] Predict(LabeledImages examples);
}
