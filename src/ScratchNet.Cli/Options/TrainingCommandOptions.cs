using System.CommandLine;
using System.Globalization;
using ScratchNet.Data;
using ScratchNet.Runs;

namespace ScratchNet.Cli.Options;

/// <summary>
/// The options `regress` and `classify` share. The training options come from <see cref="OptionTable"/>, one row each:
/// unset ones take the preset's value (q2 for regression, q3 for the classifiers: the course's settings), which --help
/// shows; <see cref="Resolve"/> merges and validates them.
/// </summary>
internal sealed class TrainingCommandOptions
{
    private readonly bool _regression;
    private readonly IReadOnlyList<(OptionRow Row, Option Option)> _settings;

    public TrainingCommandOptions(bool regression)
    {
        _regression = regression;
        IReadOnlyList<ModelKind> models = regression
            ? [ModelKind.LinearRegression, ModelKind.NeuralRegressor]
            : [ModelKind.Perceptron, ModelKind.LogisticRegression, ModelKind.Mlp];
        _settings = [.. OptionTable.All.Select(row => (row, Create(row, models)))];
        Preset = new("--preset") { Description = $"Defaults to start from: {Presets.Describe()} [default: {(regression ? "q2" : "q3; q4 with --engine torch")}]" };
        Out = new("--out") { Description = "Run folder; one that holds another run or other files is refused [default: runs/<model>-<UTC time>, -2, -3… if taken]" };
        DataDir = new("--data-dir") { Description = $"Folder holding the data set or its {(regression ? "ames" : "fashion-mnist")} subfolder [default: searched: $SCRATCHNET_DATA, ./data, {(regression ? "the repository's bundled data/ames" : "/usr/share/datasets/fashion-mnist")}]" };
        DatasetPath = regression
            ? new("--ames") { Description = DataPathOptions.AmesDescription, HelpName = "FILE|DIR" }
            : new("--fashion-mnist") { Description = DataPathOptions.FashionMnistDescription, HelpName = "DIR" };
        Resume = new("--resume") { Description = "Continue the run in DIR (or --out) from its last epoch checkpoint, with the options of its manifest.json; an option given too must equal the run's", HelpName = "DIR", Arity = ArgumentArity.ZeroOrOne };
        ExtendTo = new Option<int?>("--extend-to") { Description = "With --resume: train the run (finished or not) up to EPOCHS epochs in all; the result equals a run started with --epochs EPOCHS", HelpName = "EPOCHS" }.Integer();
        Overwrite = new("--overwrite") { Description = "Replace the run in --out (its run files are deleted first; other files are left alone)" };
    }

    public Option<string?> Preset { get; }
    public Option<string?> Out { get; }
    public Option<string?> DataDir { get; }
    /// <summary>--ames FILE|DIR (regress) or --fashion-mnist DIR (classify).</summary>
    public Option<string?> DatasetPath { get; }
    public Option<string?> Resume { get; }
    public Option<int?> ExtendTo { get; }
    public Option<bool> Overwrite { get; }

    public void AddTo(Command command)
    {
        foreach (var (_, option) in _settings)
            command.Options.Add(option);
        foreach (var option in new Option[] { Preset, Out, DataDir, DatasetPath, Resume, ExtendTo, Overwrite })
            command.Options.Add(option);
    }

    /// <summary>Where this command's data set is searched: its own flag, then --data-dir, then the defaults.</summary>
    public DataLocator Locator(ParseResult parse) => _regression
        ? DataLocator.FromEnvironment(parse.GetValue(DataDir), ames: parse.GetValue(DatasetPath))
        : DataLocator.FromEnvironment(parse.GetValue(DataDir), fashionMnist: parse.GetValue(DatasetPath));

    /// <summary>The preset's options (or <paramref name="basis"/>'s: a resumed run's) overridden by every option the user gave, validated.</summary>
    public TrainingOptions Resolve(ParseResult parse, ModelKind model, TrainingOptions? basis = null)
    {
        // Question 4's settings are the autodiff engine's defaults: --engine torch without --preset starts from q4.
        var torchClassifier = Given(parse, "engine") == "torch" && model is ModelKind.LogisticRegression or ModelKind.Mlp;
        var preset = basis ?? Presets.For(model, parse.GetValue(Preset) ?? (torchClassifier ? "q4" : Presets.DefaultFor(model)));
        var options = preset;
        foreach (var (row, option) in _settings)
        {
            if (Given(parse, option) is { } text && row.TryWith(options, text, out var changed))
                options = changed;
        }
        // libtorch's stream, with the dropout path of this CPU, is the torch engine's only one
        if (Given(parse, "stream") is null && options.Engine == Engine.Torch)
            options = options with { Stream = RandomStreams.TorchEngineHere };
        RefuseInapplicable(parse, preset, options);
        return options.Validate();
    }

    /// <summary>
    /// An option the user gave that does not apply to the model would change nothing, so it is refused, unless it only
    /// restates the value in effect (worker command lines spell out every setting, e.g. <c>--hidden 200</c> for logistic regression).
    /// </summary>
    private void RefuseInapplicable(ParseResult parse, TrainingOptions preset, TrainingOptions resolved)
    {
        foreach (var (row, option) in _settings)
        {
            if (parse.GetResult(option) is { Implicit: false } && row.WhyNot(resolved.Model) is { } why && row.Text(resolved) != row.Text(preset))
                throw new UsageException($"{row.Flag} {row.Text(resolved)} does not apply to {ModelMetadata.CliName(resolved.Model)}: {why}. Leave {row.Flag} out.");
        }
    }

    private string? Given(ParseResult parse, string name) => Given(parse, _settings.Single(s => s.Row.Name == name).Option);

    // The value given on the command line as the table reads it (invariant culture), or null when the option was not given.
    private static string? Given(ParseResult parse, Option option) => option switch
    {
        Option<int?> integer => parse.GetValue(integer)?.ToString(CultureInfo.InvariantCulture),
        Option<double?> number => parse.GetValue(number)?.ToString("R", CultureInfo.InvariantCulture),
        Option<string?> choice => parse.GetValue(choice),
        _ => null,
    };

    // --lr and the like: help says what the option does, for which of the command's models, and its default per preset.
    private static Option Create(OptionRow row, IReadOnlyList<ModelKind> models)
    {
        var having = models.Where(row.AppliesTo).ToList();
        var only = having.Count > 0 && having.Count < models.Count ? $" ({string.Join(" and ", having.Select(ModelMetadata.CliName))} only)" : "";
        var description = $"{row.Help}{only} [default: {Default(row, having.Count > 0 ? having : models)}]";
        var option = row.Kind switch
        {
            OptionKind.Integer => new Option<int?>(row.Flag) { Description = description }.Integer(),
            OptionKind.Number => new Option<double?>(row.Flag) { Description = description }.Number(),
            _ => (Option)new Option<string?>(row.Flag) { Description = description }.AcceptOnlyFromAmong([.. row.Choices]),
        };
        // Out of --help where it never applies (still parsed, so giving one is refused with the reason, not "unknown").
        option.Hidden = !models.Any(row.IsOfferedTo);
        return option;
    }

    // The value in the command's own preset (the first that has its models), then where another preset differs: "0.001; q4: 0.01".
    private static string Default(OptionRow row, IReadOnlyList<ModelKind> models)
    {
        var presets = OptionTable.Presets.Where(p => p.Models.Intersect(models).Any()).ToList();
        var own = presets[0];
        var text = OptionTable.PresetValueText(row, own, models);
        if (row.DefaultNote is { } note && models.Select(m => row.Display(Presets.For(m, own.Name))).Distinct().Count() > 1)
            text += $" ({note})";
        foreach (var other in presets.Skip(1))
        {
            var shared = models.Where(other.Models.Contains).ToList();
            var value = OptionTable.PresetValueText(row, other, shared);
            if (value != OptionTable.PresetValueText(row, own, shared))
                text += $"; {other.Name}: {value}";
        }
        return text;
    }
}
