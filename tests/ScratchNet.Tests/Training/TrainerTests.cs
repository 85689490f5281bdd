using ScratchNet.Randomness;
using ScratchNet.Runs;
using ScratchNet.Training;

namespace ScratchNet.Tests.Training;

public class TrainerTests
{
    [Fact]
    public void Orders_compound_as_the_course_reindexed_its_arrays()
    {
        var recorder = new OrderRecorder(20);
        Trainer.Run(recorder, new NumpyRandomState(3), 3, 1, [], NullObserver.Instance, CancellationToken.None);
        var stream = new NumpyRandomState(3);
        var order = Enumerable.Range(0, 20).ToArray();
        for (var epoch = 0; epoch < 3; epoch++)
        {
            var permutation = stream.Permutation(20);
            order = permutation.Select(p => order[p]).ToArray(); // X = X[perm]
            Assert.Equal(order, recorder.Orders[epoch]);
        }
    }

    [Fact]
    public void Mini_batches_are_consecutive_slices_of_the_epoch_order_with_a_short_last_one()
    {
        var sizes = new List<int>();
        var learner = new BatchSizes(23, sizes);
        var history = new List<EpochMetrics>();
        Trainer.Run(learner, new NumpyRandomState(1), 1, 10, history, NullObserver.Instance, CancellationToken.None);
        Assert.Equal([10, 10, 3], sizes);
        Assert.Equal(1.0, history[0].TrainLoss); // the sum of per-example losses (1 each) over 23 examples, averaged
    }

    private sealed class BatchSizes(int count, List<int> sizes) : ILearner
    {
        public int TrainingCount => count;

        public void BeginEpoch(int epoch)
        {
        }

        public double TrainBatch(ReadOnlySpan<int> indices)
        {
            sizes.Add(indices.Length);
            return indices.Length;
        }

        public EpochMetrics Evaluate(int epoch) => new() { Epoch = epoch };

        public IReadOnlyList<IO.SafeTensor> Weights() => [];

        public IReadOnlyList<IO.SafeTensor> SaveState() => [];

        public void LoadState(IReadOnlyList<IO.SafeTensor> tensors, string source)
        {
        }
    }
}
