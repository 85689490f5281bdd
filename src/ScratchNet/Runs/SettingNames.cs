namespace ScratchNet.Runs;

/// <summary>
/// How the core names a setting of <see cref="TrainingOptions"/> in its messages: as the quantity it is ("the learning
/// rate"), never as a command-line flag. Errors about settings are written as templates with a <c>{Property}</c>
/// placeholder per setting (<see cref="UsageException.Template"/>); the CLI renders the same template with its flags.
/// Both names come from the one option table (<see cref="OptionTable"/>).
/// </summary>
public static class SettingNames
{
    /// <summary>The quantity a setting (a property of <see cref="TrainingOptions"/>) is, for messages: its row's
    /// <see cref="OptionRow.Quantity"/>, or "the preset"; null for an unknown name.</summary>
    public static string? Quantity(string setting) =>
        setting == nameof(TrainingOptions.Preset) ? "the preset" : OptionTable.All.FirstOrDefault(row => row.Property == setting)?.Quantity;

    /// <summary>A <see cref="UsageException"/> whose message names the settings of <paramref name="template"/> as quantities.</summary>
    public static UsageException Error(string template) => new(Render(template, Quantity), template);

    /// <summary>
    /// <paramref name="template"/> with each <c>{Property}</c> placeholder replaced by <paramref name="name"/>(Property);
    /// a placeholder it does not know (null) stays as written (user text such as a preset name may hold braces).
    /// </summary>
    public static string Render(string template, Func<string, string?> name)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(name);
        var text = new System.Text.StringBuilder();
        var at = 0;
        while (template.IndexOf('{', at) is var open and >= 0 && template.IndexOf('}', open) is var close and > 0)
        {
            text.Append(template, at, open - at).Append(name(template[(open + 1)..close]) ?? template[open..(close + 1)]);
            at = close + 1;
        }
        var rendered = text.Append(template, at, template.Length - at).ToString();
        return rendered.Length > 0 && rendered.StartsWith("the ", StringComparison.Ordinal) ? char.ToUpperInvariant(rendered[0]) + rendered[1..] : rendered;
    }
}
