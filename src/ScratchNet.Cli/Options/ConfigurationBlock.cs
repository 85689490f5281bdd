using System.Text;
using ScratchNet.Runs;

namespace ScratchNet.Cli.Options;

/// <summary>
/// The resolved configuration a run prints first: one aligned line per setting, named as its option, with the value in
/// effect; settings the model does not have (a hidden size for linear regression) are left out rather than shown with a
/// meaningless default.
/// </summary>
internal static class ConfigurationBlock
{
    public static string Format(TrainingOptions options)
    {
        List<(string Name, string Value)> rows =
        [
            ("model", ModelMetadata.CliName(options.Model)),
            ("preset", options.Preset),
            .. OptionTable.All.Where(o => o.AppliesTo(options.Model)).Select(o => (o.Name, o.Display(options) + o.Unit)),
        ];
        var width = rows.Max(row => row.Name.Length);
        var text = new StringBuilder("configuration:\n");
        foreach (var (name, value) in rows)
            text.Append("  ").Append(name.PadRight(width)).Append("  ").Append(value).Append('\n');
        return text.ToString();
    }
}
