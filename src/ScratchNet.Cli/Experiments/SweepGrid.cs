using System.Globalization;
using ScratchNet.Models;
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
    private static readonly string[] Keys = ["lr", "hidden", "layers", "dropout", "activation", "optimizer", "batch-size", "l2", "epochs", "init", "precision", "seed"];

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
            if (equals < 0 || !Keys.Contains(key))
                throw new UsageException($"--grid '{part}': expected KEY=V1,V2,… with KEY one of {string.Join(", ", Keys)}.");
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
            if (Options.Applicability.WhyNot(key, baseline.Model) is { } why)
                throw new UsageException($"--grid {key} does not apply to {Options.Applicability.CliName(baseline.Model)}: {why}; every run would be the same. Leave {key} out of --grid.");
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
        string.Join(", ", Axes.Select(axis => $"{axis.Key} = {Value(baseline, axis.Key)}"));

    private static string Value(TrainingOptions options, string key) => key switch
    {
        "lr" => Text(options.LearningRate),
        "hidden" => Text(options.HiddenSize),
        "layers" => Text(options.Layers),
        "dropout" => Text(options.Dropout),
        "activation" => options.Activation.ToString().ToLowerInvariant(),
        "optimizer" => options.Optimizer.ToString().ToLowerInvariant(),
        "batch-size" => Text(options.BatchSize),
        "l2" => Text(options.L2),
        "epochs" => Text(options.Epochs),
        "init" => options.Init.ToString().ToLowerInvariant(),
        "precision" => options.Precision.ToString().ToLowerInvariant(),
        _ => Text(options.Seed),
    };

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static TrainingOptions Apply(TrainingOptions options, (string Key, string Value) setting)
    {
        var (key, value) = setting;
        return key switch
        {
            "lr" => options with { LearningRate = Number(key, value) },
            "hidden" => options with { HiddenSize = Integer(key, value) },
            "layers" => options with { Layers = Integer(key, value) },
            "dropout" => options with { Dropout = Number(key, value) },
            "activation" => options with { Activation = Choice<Activation>(key, value) },
            "optimizer" => options with { Optimizer = Choice<OptimizerKind>(key, value) },
            "batch-size" => options with { BatchSize = Integer(key, value) },
            "l2" => options with { L2 = Number(key, value) },
            "epochs" => options with { Epochs = Integer(key, value) },
            "init" => options with { Init = Choice<InitKind>(key, value) },
            "precision" => options with { Precision = Choice<Precision>(key, value) },
            _ => options with { Seed = Integer(key, value) },
        };
    }

    private static double Number(string key, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : throw new UsageException($"--grid {key}: '{value}' is not a number.");

    private static int Integer(string key, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : throw new UsageException($"--grid {key}: '{value}' is not an integer.");

    private static T Choice<T>(string key, string value) where T : struct, Enum =>
        Enum.TryParse<T>(value, ignoreCase: true, out var choice) && Enum.IsDefined(choice)
            ? choice
            : throw new UsageException($"--grid {key}: '{value}' is not one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");
}
