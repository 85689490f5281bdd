using ScratchNet.Runs;

namespace ScratchNet.Cli.Options;

/// <summary>
/// The CLI's names for the settings the core's messages name as quantities (<see cref="SettingNames"/>): an error about a
/// setting reaches the user naming the flag that sets it ("--lr 200 is out of range …").
/// </summary>
internal static class SettingFlags
{
    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        [nameof(TrainingOptions.Epochs)] = "--epochs",
        [nameof(TrainingOptions.LearningRate)] = "--lr",
        [nameof(TrainingOptions.BatchSize)] = "--batch-size",
        [nameof(TrainingOptions.HiddenSize)] = "--hidden",
        [nameof(TrainingOptions.Layers)] = "--layers",
        [nameof(TrainingOptions.Dropout)] = "--dropout",
        [nameof(TrainingOptions.L2)] = "--l2",
        [nameof(TrainingOptions.RidgeLambda)] = "--lambda",
        [nameof(TrainingOptions.Seed)] = "--seed",
        [nameof(TrainingOptions.TrainLimit)] = "--limit",
        [nameof(TrainingOptions.Threads)] = "--threads",
        [nameof(TrainingOptions.Engine)] = "--engine",
        [nameof(TrainingOptions.Stream)] = "--stream",
        [nameof(TrainingOptions.Init)] = "--init",
        [nameof(TrainingOptions.Preset)] = "--preset",
    };

    /// <summary>The message of <paramref name="error"/> as the CLI prints it: settings named by their flags.</summary>
    public static string Message(ScratchNetException error) =>
        error is UsageException { Template: { } template } ? SettingNames.Render(template, Flags.GetValueOrDefault) : error.Message;
}
