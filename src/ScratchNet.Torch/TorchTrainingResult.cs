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

    void OnEpoch(TorchEpochProgress epoch);
}
