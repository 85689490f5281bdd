using ScratchNet.Runs;

namespace ScratchNet.Cli.Options;

/// <summary>
/// The CLI's names for what the core's messages name as quantities: each setting (<see cref="SettingNames"/>) by the
/// flag that sets it ("--lr 200 is out of range …"), from the one option table (<see cref="OptionTable"/>; the preset is
/// <c>--preset</c>), and each term of <see cref="MessageTerms"/> (data locations, the output folder, resuming, …) by the
/// flag or phrase the user types, listed in <see cref="TermFlags"/>.
/// </summary>
internal static class SettingFlags
{
    /// <summary>Each <see cref="MessageTerms"/> key as the CLI names it: one entry per term (a test checks both lists match).</summary>
    internal static IReadOnlyDictionary<string, string> TermFlags { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["FashionMnist"] = "--fashion-mnist",
        ["Ames"] = "--ames",
        ["DataDir"] = "--data-dir",
        ["Out"] = "--out",
        ["AnotherOut"] = "another --out",
        ["NewOut"] = "a new --out",
        ["Resume"] = "--resume",
        ["WithResume"] = "with --resume",
        ["StartAfresh"] = "run without --resume",
        ["ExtendTo"] = "--extend-to EPOCHS",
        ["WithOverwrite"] = "with --overwrite",
        ["Runs"] = "--runs",
        ["SkipBad"] = "--skip-bad",
        ["SmallerLearningRate"] = $"a smaller learning rate ({OptionTable.All.Single(row => row.Property == nameof(TrainingOptions.LearningRate)).Flag})",
    };

    private static readonly Dictionary<string, string> Flags = OptionTable.All
        .ToDictionary(row => row.Property, row => row.Flag, StringComparer.Ordinal)
        .Append(new KeyValuePair<string, string>(nameof(TrainingOptions.Preset), "--preset"))
        .Concat(TermFlags)
        .ToDictionary(StringComparer.Ordinal);

    /// <summary>The message of <paramref name="error"/> as the CLI prints it: settings and terms named by their flags.</summary>
    public static string Message(Exception error) =>
        error is ScratchNetException { Template: { } template } ? Render(template) : error.Message;

    /// <summary>A core message template (<see cref="ScratchNetException.Template"/>) with the CLI's flags.</summary>
    public static string Render(string template) => SettingNames.Render(template, Flags.GetValueOrDefault);
}
