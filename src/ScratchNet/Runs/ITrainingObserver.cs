namespace ScratchNet.Runs;

/// <summary>How a run ended; <see cref="Message"/> explains a divergence, naming settings as quantities.</summary>
public sealed record TrainingOutcome(RunStatus Status, string? Message = null)
{
    /// <summary>The <see cref="Message"/> as a template that names its settings by placeholder (<see cref="SettingNames"/>);
    /// a front end renders it with its own names (the CLI: its flags). Null when the message names none.</summary>
    public string? Template { get; init; }

    /// <summary>A divergence explained by <paramref name="template"/>, which may name settings (<c>{LearningRate}</c>).</summary>
    public static TrainingOutcome Diverged(string template) => new(RunStatus.Diverged, SettingNames.Message(template)) { Template = template };
}

/// <summary>What the caller sees while a run goes: progress within an epoch and each finished epoch.</summary>
public interface ITrainingObserver
{
    void OnProgress(int epoch, int examplesDone, int examplesTotal);

    void OnEpoch(EpochMetrics epoch);
}
