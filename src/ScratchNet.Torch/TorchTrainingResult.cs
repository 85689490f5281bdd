namespace ScratchNet.Torch;

/// <summary>
/// One finished epoch. <paramref name="RunningMeanLoss"/> is what the course printed as "Training loss": the mean of ALL
/// per-step losses since epoch 1 (torch.tensor(train_losses).mean()); <paramref name="EpochMeanLoss"/> is this epoch's own mean.
/// <paramref name="Seconds"/> covers the training steps only (not the evaluation). <paramref name="TrainAccuracy"/> is measured on
/// the training examples after the epoch, in eval mode, as dev and test.
/// </summary>
public sealed record TorchEpochProgress(int Epoch, double RunningMeanLoss, double EpochMeanLoss, double DevAccuracy, double Seconds, double TestAccuracy,
    double? TrainAccuracy = null);

/// <summary>
/// Per-epoch history, the final test accuracy and predictions and the trained parameters (named_parameters order, float32).
/// A run that diverged stops at its first non-finite loss: <paramref name="Divergence"/> says where, the history holds the
/// epochs finished before it, <paramref name="TestAccuracy"/> is NaN and <paramref name="TestPredictions"/> is empty.
/// </summary>
public sealed record TorchTrainingResult(
    IReadOnlyList<TorchEpochProgress> Epochs,
    double TestAccuracy,
    long Steps,
    IReadOnlyList<NamedArray<float>> Parameters,
    int[] TestPredictions,
    string? Divergence = null)
{
    public bool Diverged => Divergence is not null;
}

/// <summary>What a caller sees while a run trains: every step (for a progress bar) and every finished epoch.</summary>
public interface ITorchTrainingObserver
{
    /// <summary>After each optimizer step: <paramref name="examplesDone"/> of <paramref name="examplesTotal"/> in this epoch.</summary>
    void OnStep(int epoch, int examplesDone, int examplesTotal);

    /// <summary>After each optimizer step, before <see cref="OnStep"/>: the batch's loss as libtorch computed it.</summary>
    void OnStepLoss(int epoch, float loss)
    {
    }

    void OnEpoch(TorchEpochProgress epoch);

    /// <summary>True when <see cref="OnCheckpoint"/> should be called (taking a checkpoint copies the weights).</summary>
    bool WantsCheckpoints => false;

    /// <summary>After each epoch, just before <see cref="OnEpoch"/>: everything a resumed run continues from.</summary>
    void OnCheckpoint(TorchCheckpoint checkpoint)
    {
    }
}

/// <summary>
/// The state after <paramref name="Epoch"/> finished epochs, from which a run continues exactly as if never stopped: the
/// parameters (named_parameters order), the optimizer's state as TorchSharp serialises it (Adam's step and moments; SGD
/// without momentum keeps none), libtorch's global CPU generator state (the DataLoader's two seed draws per epoch and the
/// dropout masks come from it) and every step's loss (the course's running mean covers all of them).
/// </summary>
public sealed record TorchCheckpoint(int Epoch, IReadOnlyList<NamedArray<float>> Parameters, byte[] OptimizerState, byte[] GeneratorState, float[] Losses);
