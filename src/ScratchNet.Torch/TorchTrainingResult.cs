namespace ScratchNet.Torch;

/// <summary>
/// One finished epoch. <paramref name="RunningMeanLoss"/> is what the course printed as "Training loss": the mean of ALL
/// per-step losses since epoch 1 (torch.tensor(train_losses).mean()); <paramref name="EpochMeanLoss"/> is this epoch's own mean.
/// <paramref name="Seconds"/> covers the training steps only (not the dev evaluation).
/// </summary>
public sealed record TorchEpochProgress(int Epoch, double RunningMeanLoss, double EpochMeanLoss, double DevAccuracy, double Seconds);

/// <summary>Per-epoch history, the final test accuracy and the trained parameters (named_parameters order, float32).</summary>
public sealed record TorchTrainingResult(
    IReadOnlyList<TorchEpochProgress> Epochs,
    double TestAccuracy,
    long Steps,
    IReadOnlyList<NamedArray<float>> Parameters);
