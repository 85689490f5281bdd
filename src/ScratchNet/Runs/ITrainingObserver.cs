namespace ScratchNet.Runs;

/// <summary>How a run ended; <see cref="Message"/> explains a divergence.</summary>
public sealed record TrainingOutcome(RunStatus Status, string? Message = null);

/// <summary>What the caller sees while a run goes: progress within an epoch and each finished epoch.</summary>
public interface ITrainingObserver
{
    void OnProgress(int epoch, int examplesDone, int examplesTotal);

    void OnEpoch(EpochMetrics epoch);
}
