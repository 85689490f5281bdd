using ScratchNet.IO;
using ScratchNet.Runs;

namespace ScratchNet.Training;

/// <summary>
/// A model bound to its data and optimizer, as the <see cref="Trainer"/> drives it: one call per batch of
/// training-example indices, one evaluation per epoch, and its full state for checkpoints.
/// </summary>
public interface ILearner
{
    int TrainingCount { get; }

    /// <summary>Called before each epoch's first batch (epochs count from 1).</summary>
    void BeginEpoch(int epoch);

    /// <summary>Trains on the examples at <paramref name="indices"/>; returns the sum of their losses (before the update).</summary>
    double TrainBatch(ReadOnlySpan<int> indices);

    /// <summary>The end-of-epoch measurements (the trainer adds the loss and the timing).</summary>
    EpochMetrics Evaluate(int epoch);

    /// <summary>The trained weights under their course names, shapes (out, in).</summary>
    IReadOnlyList<SafeTensor> Weights();

    /// <summary>Every number the run needs to continue bit-identically: the weights and the optimizer state.</summary>
    IReadOnlyList<SafeTensor> SaveState();

    /// <summary>Restores <see cref="SaveState"/>'s tensors (read from <paramref name="source"/>, named in errors).</summary>
    void LoadState(IReadOnlyList<SafeTensor> tensors, string source);
}
