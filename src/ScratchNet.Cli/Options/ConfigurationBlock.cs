using System.Globalization;
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
        var rows = new List<(string Name, string Value)>
        {
            ("model", Applicability.CliName(options.Model)),
            ("preset", options.Preset),
            ("engine", Lower(options.Engine)),
            ("epochs", Text(options.Epochs)),
            ("lr", Text(options.LearningRate)),
            ("batch-size", Text(options.BatchSize)),
            ("hidden", Text(options.HiddenSize)),
            ("layers", Text(options.Layers)),
            ("activation", Lower(options.Activation)),
            ("dropout", Text(options.Dropout)),
            ("optimizer", Lower(options.Optimizer)),
            ("l2", Text(options.L2)),
            ("init", Lower(options.Init)),
            ("seed", Text(options.Seed)),
            ("precision", Lower(options.Precision)),
            ("lambda", Text(options.RidgeLambda)),
            ("limit", options.TrainLimit is { } limit ? $"{Text(limit)} training examples" : "all training examples"),
            ("threads", Text(options.Threads)),
        };
        rows.RemoveAll(row => Applicability.WhyNot(row.Name, options.Model) is not null);
        var width = rows.Max(row => row.Name.Length);
        var text = new StringBuilder("configuration:\n");
        foreach (var (name, value) in rows)
            text.Append("  ").Append(name.PadRight(width)).Append("  ").Append(value).Append('\n');
        return text.ToString();
    }

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
