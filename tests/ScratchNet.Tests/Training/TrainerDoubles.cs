using ScratchNet.IO;
using ScratchNet.Runs;
using ScratchNet.Training;

namespace ScratchNet.Tests.Training;

/// <summary>An observer that ignores everything.</summary>
internal sealed class NullObserver : ITrainingObserver
{
    public static readonly NullObserver Instance = new();

    public void OnProgress(int epoch, int examplesDone, int examplesTotal)
    {
    }

    public void OnEpoch(EpochMetrics epoch)
    {
    }
}

/// <summary>A learner that only records the order in which the trainer visits the examples (it has no state).</summary>
internal sealed class OrderRecorder(int count) : ILearner
{
    private int _filled;

    public List<int[]> Orders { get; } = [];

    public int TrainingCount => count;

    public void BeginEpoch(int epoch)
    {
        Orders.Add(new int[count]);
        _filled = 0;
    }

    public double TrainBatch(ReadOnlySpan<int> indices)
    {
        indices.CopyTo(Orders[^1].AsSpan(_filled));
        _filled += indices.Length;
        return indices.Length;
    }

    public EpochMetrics Evaluate(int epoch) => new() { Epoch = epoch };

    public IReadOnlyList<SafeTensor> Weights() => [];

    public IReadOnlyList<SafeTensor> SaveState() => [];

    public void LoadState(IReadOnlyList<SafeTensor> tensors, string source)
    {
    }
}
