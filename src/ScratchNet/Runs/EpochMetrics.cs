namespace ScratchNet.Runs;

/// <summary>
/// What one epoch measured. Which fields are set depends on the task: regression sets the RMSEs (the course's
/// "loss") and, for linear regression, the distance to the analytic solution; classification sets the accuracies.
/// </summary>
public sealed record EpochMetrics
{
    public required int Epoch { get; init; }
    /// <summary>Wall time of the epoch's training steps (evaluation excluded).</summary>
    public double Seconds { get; init; }
    /// <summary>Mean training loss over the epoch's steps.</summary>
    public double? TrainLoss { get; init; }
    /// <summary>The course's PyTorch script printed the mean over all steps of all epochs so far; kept for comparison.</summary>
    public double? TrainLossRunning { get; init; }
    public double? TrainRmse { get; init; }
    public double? TestRmse { get; init; }
    /// <summary>‖ŵ − w‖ between the analytic ridge solution and the SGD weights (linear regression).</summary>
    public double? WeightDistance { get; init; }
    public double? TrainAccuracy { get; init; }
    public double? DevAccuracy { get; init; }
    public double? TestAccuracy { get; init; }
}
