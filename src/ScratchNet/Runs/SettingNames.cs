namespace ScratchNet.Runs;

/// <summary>
/// How the core names a setting of <see cref="TrainingOptions"/> in its messages: as the quantity it is ("the learning
/// rate"), never as a command-line flag. Errors about settings are written as templates with a <c>{Property}</c>
/// placeholder per setting (<see cref="ScratchNetException.Template"/>); the CLI renders the same template with its flags.
/// Both names come from the one option table (<see cref="OptionTable"/>). A template may also name the terms of
/// <see cref="MessageTerms"/> (the output folder, resuming, …).
/// </summary>
public static class SettingNames
{
    /// <summary>The quantity a setting (a property of <see cref="TrainingOptions"/>) is, for messages: its row's
    /// <see cref="OptionRow.Quantity"/>, or "the preset"; else the <see cref="MessageTerms"/> term; null for an unknown name.</summary>
    public static string? Quantity(string setting) =>
        setting == nameof(TrainingOptions.Preset) ? "the preset" : OptionTable.All.FirstOrDefault(row => row.Property == setting)?.Quantity ?? MessageTerms.Quantity(setting);

    /// <summary><paramref name="template"/> with its settings and terms named as quantities.</summary>
    public static string Message(string template) => Render(template, Quantity);

    /// <summary>A <see cref="UsageException"/> whose message names the settings of <paramref name="template"/> as quantities.</summary>
    public static UsageException Error(string template) => new(Message(template), template);

    /// <summary>A <see cref="DataException"/> whose message names the settings of <paramref name="template"/> as quantities.</summary>
    public static DataException DataError(string template, Exception? inner = null) => new(Message(template), inner) { Template = template };

    /// <summary>
    /// <paramref name="template"/> with each <c>{Property}</c> placeholder replaced by <paramref name="name"/>(Property);
    /// a placeholder it does not know (null) stays as written (user text such as a preset name may hold braces).
    /// </summary>
    public static string Render(string template, Func<string, string?> name) => MessageTerms.Render(template, name);
}
