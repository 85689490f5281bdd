using ScratchNet.Reports;
using ScratchNet.Runs;

namespace ScratchNet.Cli.Experiments;

/// <summary>How a sweep combines its settings: the full cartesian grid, or one change at a time from the base (as Q4.2).</summary>
public enum SweepMode { Grid, OneAtATime }

/// <summary>
/// A sweep's grid, parsed from <c>lr=0.001,0.01</c> and <c>hidden=100,200</c> (one repeated <c>--grid</c> option each, or
/// one <c>"lr=0.001,0.01;hidden=100,200"</c>): each key is an option (without its dashes) and its values.
/// <see cref="Expand"/> turns it into named experiments on top of a base configuration.
/// </summary>
public sealed class SweepGrid
{
    private SweepGrid(IReadOnlyList<(string Key, IReadOnlyList<string> Values)> axes) => Axes = axes;

    public IReadOnlyList<(string Key, IReadOnlyList<string> Values)> Axes { get; }

    /// <summary>The grid of several <c>--grid</c> options, each one or more <c>KEY=V1,V2</c> parts joined by <c>;</c>.</summary>
    public static SweepGrid Parse(IEnumerable<string> options) => Parse(string.Join(';', options));

    public static SweepGrid Parse(string text)
    {
        var axes = new List<(string, IReadOnlyList<string>)>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? part : part[..equals].Trim().ToLowerInvariant();
            if (equals < 0 || !OptionTable.SweepKeys.Any(o => o.Name == key))
                throw new UsageException($"--grid '{part}': expected KEY=V1,V2,… with KEY one of {string.Join(", ", OptionTable.SweepKeys.Select(o => o.Name))}.");
            var values = part[(equals + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (values.Length == 0)
                throw new UsageException($"--grid '{part}': {key} has no values.");
            if (axes.Any(a => a.Item1 == key))
                throw new UsageException($"--grid names {key} twice.");
            axes.Add((key, values));
        }
        return axes.Count > 0 ? new SweepGrid(axes) : throw new UsageException("--grid is empty: e.g. --grid lr=0.001,0.01 --grid hidden=100,200.");
    }

    /// <summary>The experiments of the sweep, each validated, with names that say their settings (e.g. <c>lr0.01-hidden100</c>).</summary>
    public IReadOnlyList<Experiment> Expand(TrainingOptions baseline, SweepMode mode)
    {
        // A key the model does not have would train the same run under several names.
        foreach (var (key, _) in Axes)
        {
            if (OptionTable.Get(key).WhyNot(baseline.Model) is { } why)
                throw new UsageException($"--grid {key} does not apply to {ModelMetadata.CliName(baseline.Model)}: {why}; every run would be the same. Leave {key} out of --grid.");
        }
        var settings = mode == SweepMode.Grid
            ? Axes.Aggregate(
                (IEnumerable<IReadOnlyList<(string Key, string Value)>>)[[]],
                (combos, axis) => combos.SelectMany(c => axis.Values.Select(v => (IReadOnlyList<(string, string)>)[.. c, (axis.Key, v)])))
            : [[], .. Axes.SelectMany(axis => axis.Values.Select(v => (IReadOnlyList<(string, string)>)[(axis.Key, v)]))];
        var experiments = new List<Experiment>();
        foreach (var setting in settings)
        {
            var options = setting.Aggregate(baseline, Apply).Validate();
            var name = setting.Count == 0 ? "base" : string.Join('-', setting.Select(s => s.Key.Replace("-", "", StringComparison.Ordinal) + s.Value));
            // One-at-a-time: a value equal to the base's is the base itself; keep each configuration once.
            if (experiments.Any(e => e.Options.ConfigHash() == options.ConfigHash()))
                continue;
            var label = setting.Count == 0 ? "base configuration" : string.Join(", ", setting.Select(s => $"{s.Key} = {s.Value}"));
            experiments.Add(new Experiment(name, "sweep", "sweep", label, options));
        }
        return experiments;
    }

    /// <summary>The base's own values of the swept settings, e.g. <c>lr = 0.001, hidden = 200</c>.</summary>
    public string BaseSetting(TrainingOptions baseline) =>
        string.Join(", ", Axes.Select(axis => $"{axis.Key} = {OptionTable.Get(axis.Key).Display(baseline)}"));

    private static TrainingOptions Apply(TrainingOptions options, (string Key, string Value) setting)
    {
        var option = OptionTable.Get(setting.Key);
        return option.TryWith(options, setting.Value, out var changed)
            ? changed
            : throw new UsageException($"--grid {setting.Key}: '{setting.Value}' is not {option.Expected}.");
    }
}
