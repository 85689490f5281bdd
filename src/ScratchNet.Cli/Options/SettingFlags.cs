using ScratchNet.Runs;

namespace ScratchNet.Cli.Options;

/// <summary>
/// The CLI's names for the settings the core's messages name as quantities (<see cref="SettingNames"/>): an error about a
/// setting reaches the user naming the flag that sets it ("--lr 200 is out of range …"). The flags come from the one
/// option table (<see cref="OptionTable"/>); the preset, not a training option of its own, is <c>--preset</c>.
/// </summary>
internal static class SettingFlags
{
    private static readonly Dictionary<string, string> Flags = OptionTable.All
        .ToDictionary(row => row.Property, row => row.Flag, StringComparer.Ordinal)
        .Append(new KeyValuePair<string, string>(nameof(TrainingOptions.Preset), "--preset"))
        .ToDictionary(StringComparer.Ordinal);

    /// <summary>The message of <paramref name="error"/> as the CLI prints it: settings named by their flags.</summary>
    public static string Message(ScratchNetException error) =>
        error is UsageException { Template: { } template } ? SettingNames.Render(template, Flags.GetValueOrDefault) : error.Message;
}
