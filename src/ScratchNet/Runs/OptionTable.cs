using System.Globalization;
using System.Text.Json;
using ScratchNet.Models;

namespace ScratchNet.Runs;

/// <summary>
/// Every training option, defined once: its name (the flag <c>--name</c>, the sweep key, the row of the printed
/// configuration), the <see cref="TrainingOptions"/> property it sets (and so its manifest name), its value per preset,
/// its valid range, its help text, the models it applies to and whether a sweep may vary it. The command line, its help,
/// the validation messages, the worker command lines, the sweep keys and the preset descriptions are all derived from
/// this table: a new option is one row here plus its use in the model. This file is the only one that maps the table
/// onto <see cref="TrainingOptions"/>.
/// </summary>
public static class OptionTable
{
    private static readonly ModelKind[] HiddenLayerModels = [ModelKind.NeuralRegressor, ModelKind.Mlp];
    private static readonly ModelKind[] TorchModels = [ModelKind.LogisticRegression, ModelKind.Mlp];
    private const string NoHiddenLayer = "{model} has no hidden layer (mlp and neural have)";

    /// <summary>The report's presets, in order: the question whose settings a run starts from.</summary>
    public static IReadOnlyList<PresetRow> Presets { get; } =
    [
        new("q2", "regression", [ModelKind.LinearRegression, ModelKind.NeuralRegressor]),
        new("q3", "classifiers from scratch", [ModelKind.Perceptron, ModelKind.LogisticRegression, ModelKind.Mlp]),
        new("q4", "autodiff defaults", TorchModels),
    ];

    /// <summary>The options in the order help, the printed configuration and worker command lines show them.</summary>
    public static IReadOnlyList<OptionRow> All { get; } =
    [
        new OptionRow<Engine>("engine", nameof(TrainingOptions.Engine), o => o.Engine, (o, v) => o with { Engine = v },
            "scratch (this C# engine) or torch (TorchSharp/libtorch; logistic and mlp)")
        { Quantity = "the engine", PresetValue = (preset, _) => preset == "q4" ? Engine.Torch : Engine.Scratch, OfferedTo = TorchModels },
        new OptionRow<int>("epochs", nameof(TrainingOptions.Epochs), o => o.Epochs, (o, v) => o with { Epochs = v }, "Training epochs")
        { Quantity = "the number of epochs", Valid = v => v is >= 1 and <= 100_000, Range = "an integer from 1 to 100000", Sweepable = true, PresetValue = (preset, _) => preset == "q2" ? 150 : 20 },
        new OptionRow<double>("lr", nameof(TrainingOptions.LearningRate), o => o.LearningRate, (o, v) => o with { LearningRate = v }, "Learning rate η")
        {
            Quantity = "the learning rate",
            Valid = v => double.IsFinite(v) && v > 0 && v <= 100, Range = "a number in (0, 100]", Sweepable = true,
            PresetValue = (preset, model) => preset == "q4" ? 0.01 : model == ModelKind.Perceptron ? 1 : 0.001,
            DefaultNote = "the perceptron's rule W[y] += x has no step size",
        },
        new OptionRow<int>("batch-size", nameof(TrainingOptions.BatchSize), o => o.BatchSize, (o, v) => o with { BatchSize = v },
            "Examples per update (1 = the course's per-example SGD)")
        { Quantity = "the batch size", Valid = v => v is >= 1 and <= 1_000_000, Range = "an integer from 1 to 1000000", Sweepable = true },
        new OptionRow<int>("hidden", nameof(TrainingOptions.HiddenSize), o => o.HiddenSize, (o, v) => o with { HiddenSize = v }, "Units per hidden layer")
        {
            Quantity = "the hidden size",
            Valid = v => v is >= 1 and <= 100_000, Range = "an integer from 1 to 100000", Sweepable = true,
            PresetValue = (preset, _) => preset == "q2" ? 150 : 200, OnlyFor = HiddenLayerModels, Lacks = NoHiddenLayer,
        },
        new OptionRow<int>("layers", nameof(TrainingOptions.Layers), o => o.Layers, (o, v) => o with { Layers = v }, "Hidden layers")
        { Quantity = "the number of hidden layers", Valid = v => v is >= 1 and <= 16, Range = "an integer from 1 to 16", Sweepable = true, OnlyFor = HiddenLayerModels, Lacks = NoHiddenLayer },
        new OptionRow<Activation>("activation", nameof(TrainingOptions.Activation), o => o.Activation, (o, v) => o with { Activation = v },
            "Hidden activation: relu or tanh")
        { Quantity = "the activation", Sweepable = true, OnlyFor = HiddenLayerModels, Lacks = NoHiddenLayer },
        new OptionRow<double>("dropout", nameof(TrainingOptions.Dropout), o => o.Dropout, (o, v) => o with { Dropout = v },
            "Dropout probability after each hidden layer, in [0, 1)")
        {
            Quantity = "the dropout probability",
            Valid = v => double.IsFinite(v) && v >= 0 && v < 1, Range = "a probability in [0, 1)", Sweepable = true,
            PresetValue = (preset, _) => preset == "q4" ? 0.3 : 0, OnlyFor = [ModelKind.Mlp], Lacks = "{model} has no dropout (mlp has)",
        },
        new OptionRow<OptimizerKind>("optimizer", nameof(TrainingOptions.Optimizer), o => o.Optimizer, (o, v) => o with { Optimizer = v },
            "sgd (plain, no momentum) or adam (PyTorch defaults)")
        { Quantity = "the optimizer", Sweepable = true },
        new OptionRow<double>("l2", nameof(TrainingOptions.L2), o => o.L2, (o, v) => o with { L2 = v },
            "L2 weight decay added to the gradient, as PyTorch's weight_decay")
        { Quantity = "the L2 weight decay", Valid = v => double.IsFinite(v) && v >= 0, Range = "a number ≥ 0", Sweepable = true },
        new OptionRow<InitKind>("init", nameof(TrainingOptions.Init), o => o.Init, (o, v) => o with { Init = v },
            "Weight init: zeros, course (N(0.1, 0.1) from numpy's stream) or torch (nn.Linear's U(±1/√fan_in))")
        {
            Quantity = "the initialisation",
            Sweepable = true,
            PresetValue = (preset, model) => preset == "q4" ? InitKind.Torch : HiddenLayerModels.Contains(model) ? InitKind.Course : InitKind.Zeros,
        },
        new OptionRow<int>("seed", nameof(TrainingOptions.Seed), o => o.Seed, (o, v) => o with { Seed = v },
            "Seed of the run's random stream (init, then each epoch's order; torch: manual_seed)")
        { Quantity = "the seed", Valid = v => v >= 0, Range = "an integer from 0 to 2147483647", Sweepable = true },
        new OptionRow<RandomStream>("stream", nameof(TrainingOptions.Stream), o => o.Stream, (o, v) => o with { Stream = v },
            "Random stream of the init, epoch orders and dropout masks: numpy (the course's RandomState); torch (libtorch's CPU generator, dropout masks as libtorch draws them on a CPU not made by Intel); torch-mkl (the same, with the masks as the official libtorch draws them on an Intel CPU, through MKL, as the course's PyTorch did). The torch engine draws only the one its CPU takes")
        { Quantity = "the random stream", Sweepable = true, PresetValue = (preset, _) => preset == "q4" ? RandomStream.Torch : RandomStream.Numpy, OfferedTo = TorchModels },
        new OptionRow<Precision>("precision", nameof(TrainingOptions.Precision), o => o.Precision, (o, v) => o with { Precision = v },
            "float64 reproduces the course exactly; float32 is faster")
        { Quantity = "the precision", Sweepable = true, PresetValue = (preset, _) => preset == "q4" ? Precision.Float32 : Precision.Float64 },
        new OptionRow<double>("lambda", nameof(TrainingOptions.RidgeLambda), o => o.RidgeLambda, (o, v) => o with { RidgeLambda = v },
            "Ridge λ of the analytic solution (XᵀX + λI)⁻¹Xᵀy computed beside SGD")
        {
            Quantity = "the ridge term λ",
            Valid = v => double.IsFinite(v) && v > 0, Range = "a number > 0 (XᵀX is singular without it)", OnlyFor = [ModelKind.LinearRegression],
            Lacks = "λ is the ridge term of the analytic solution computed beside linear regression (regress linear)",
        },
        new OptionRow<int?>("limit", nameof(TrainingOptions.TrainLimit), o => o.TrainLimit, (o, v) => o with { TrainLimit = v },
            "Train on the first N training examples only (smoke runs)")
        { Quantity = "the training-example limit", Valid = v => v is null or >= 1, Range = "an integer ≥ 1", Unset = "all", Unit = " training examples" },
        new OptionRow<int>("threads", nameof(TrainingOptions.Threads), o => o.Threads, (o, v) => o with { Threads = v },
            "Threads: scratch engine, the mini-batch GEMMs, the per-example first layer and evaluation (2 = both cores; same results); torch, libtorch's intra-op threads")
        { Quantity = "the thread count", Valid = v => v is >= 1 and <= 256, Range = "an integer from 1 to 256", ChangesResult = false },
    ];

    /// <summary>The row named <paramref name="name"/> (e.g. <c>lr</c>).</summary>
    public static OptionRow Get(string name) => All.Single(row => row.Name == name);

    /// <summary>The options a sweep may vary (<c>--grid KEY=…</c>).</summary>
    public static IReadOnlyList<OptionRow> SweepKeys { get; } = [.. All.Where(row => row.Sweepable)];

    /// <summary>The preset's options for <paramref name="model"/>; options the model does not have keep the record's value.</summary>
    public static TrainingOptions PresetOptions(PresetRow preset, ModelKind model) =>
        All.Aggregate(new TrainingOptions { Model = model, Preset = preset.Name }, (options, row) => row.WithPresetValue(options, preset.Name));

    /// <summary>
    /// The value of <paramref name="row"/> in <paramref name="preset"/> for <paramref name="models"/>: <c>20</c>, or
    /// <c>zeros for perceptron/logistic, course for mlp</c> when the models differ.
    /// </summary>
    public static string PresetValueText(OptionRow row, PresetRow preset, IEnumerable<ModelKind> models)
    {
        var groups = models.Where(preset.Models.Contains)
            .Select(model => (Model: ModelMetadata.CliName(model), Value: row.Display(PresetOptions(preset, model))))
            .GroupBy(pair => pair.Value).ToList();
        return groups.Count == 1
            ? groups[0].Key
            : string.Join(", ", groups.Select(g => $"{g.Key} for {string.Join('/', g.Select(pair => pair.Model))}"));
    }

    /// <summary>One line per preset, for --help: the settings in which the presets differ.</summary>
    public static string DescribePresets()
    {
        var differing = All.Where(row => Presets.Select(p => Value(row, p)).Where(v => v is not null).Distinct().Count() > 1).ToList();
        return string.Join(". ", Presets.Select(preset =>
            $"{preset.Name} ({preset.Label}): " + string.Join("; ", differing.Select(row => (row.Name, Value: Value(row, preset))).Where(r => r.Value is not null).Select(r => $"{r.Name} {r.Value}"))));

        static string? Value(OptionRow row, PresetRow preset) =>
            preset.Models.Any(row.AppliesTo) ? PresetValueText(row, preset, preset.Models.Where(row.AppliesTo)) : null;
    }

    internal static string Describe(ModelKind model) => model switch
    {
        ModelKind.LinearRegression => "linear regression",
        ModelKind.NeuralRegressor => "the neural regressor",
        ModelKind.Perceptron => "the perceptron",
        ModelKind.LogisticRegression => "logistic regression",
        _ => "the mlp",
    };
}

/// <summary>A preset: the report question whose settings a run starts from, and the models it has settings for.</summary>
public sealed record PresetRow(string Name, string Label, IReadOnlyList<ModelKind> Models);

/// <summary>How an option's value is written: an integer, a number or one of a few names.</summary>
public enum OptionKind { Integer, Number, Choice }

/// <summary>One training option of <see cref="OptionTable"/>; <see cref="OptionRow{T}"/> binds it to its property.</summary>
public abstract class OptionRow(string name, string property, string help)
{
    /// <summary>The option's name: <c>--{Name}</c> on the command line, the sweep key, the printed configuration's row.</summary>
    public string Name { get; } = name;
    public string Flag => "--" + Name;
    /// <summary>The <see cref="TrainingOptions"/> property it sets.</summary>
    public string Property { get; } = property;
    /// <summary>Its key in manifest.json's options.</summary>
    public string ManifestName => JsonNamingPolicy.CamelCase.ConvertName(Property);
    /// <summary>What it does, for --help (the default is added from the presets).</summary>
    public string Help { get; } = help;
    /// <summary>What the option is, as the core's messages name it ("the learning rate"; <see cref="SettingNames"/>).</summary>
    public required string Quantity { get; init; }
    /// <summary>The valid values in words, for the out-of-range message; null when every value of its type is valid.</summary>
    public string? Range { get; init; }
    public bool Sweepable { get; init; }
    /// <summary>False for a setting that never changes results (threads): a resumed run may differ in it.</summary>
    public bool ChangesResult { get; init; } = true;
    /// <summary>Why the default differs between models, shown after the default when it does.</summary>
    public string? DefaultNote { get; init; }
    /// <summary>The models that have this setting; null for all.</summary>
    public IReadOnlyList<ModelKind>? OnlyFor { get; init; }
    /// <summary>Why a model lacks it (<c>{model}</c> is the model's description).</summary>
    public string? Lacks { get; init; }
    /// <summary>The models for which a value other than the default exists (--engine torch: logistic and mlp); null for <see cref="OnlyFor"/>.</summary>
    public IReadOnlyList<ModelKind>? OfferedTo { get; init; }
    /// <summary>How an unset value (no --limit) is shown.</summary>
    public string Unset { get; init; } = "";
    /// <summary>Follows the value in the printed configuration.</summary>
    public string Unit { get; init; } = "";

    public abstract OptionKind Kind { get; }
    /// <summary>The names a <see cref="OptionKind.Choice"/> takes, lower case.</summary>
    public abstract IReadOnlyList<string> Choices { get; }

    /// <summary>What a value must be, in words: <c>an integer</c>, <c>a number</c>, <c>one of relu, tanh</c>.</summary>
    public string Expected => Kind switch
    {
        OptionKind.Integer => "an integer",
        OptionKind.Number => "a number",
        _ => $"one of {string.Join(", ", Choices)}",
    };

    public bool AppliesTo(ModelKind model) => OnlyFor?.Contains(model) ?? true;

    /// <summary>True when a user can choose a value for <paramref name="model"/> (help shows the option where one of its models can).</summary>
    public bool IsOfferedTo(ModelKind model) => OfferedTo?.Contains(model) ?? AppliesTo(model);

    /// <summary>Null when the option applies to <paramref name="model"/>; else why not.</summary>
    public string? WhyNot(ModelKind model) =>
        AppliesTo(model) ? null : (Lacks ?? "{model} does not have it").Replace("{model}", OptionTable.Describe(model), StringComparison.Ordinal);

    /// <summary>The value as a command-line argument: invariant culture, names lower case; empty when unset.</summary>
    public abstract string Text(TrainingOptions options);

    /// <summary>The value as help and the printed configuration show it (<see cref="Unset"/> when unset).</summary>
    public string Display(TrainingOptions options) => Text(options) is { Length: > 0 } text ? text : Unset;

    /// <summary><paramref name="options"/> with this option set from <paramref name="text"/>; false when the text is not <see cref="Expected"/>.</summary>
    public abstract bool TryWith(TrainingOptions options, string text, out TrainingOptions result);

    public abstract bool IsValid(TrainingOptions options);

    /// <summary>Throws a <see cref="UsageException"/> naming the option and its range when its value is out of range.</summary>
    public void Validate(TrainingOptions options)
    {
        if (!IsValid(options))
            throw SettingNames.Error($"{{{Property}}} {Display(options)} is out of range: expected {Range}.");
    }

    internal abstract TrainingOptions WithPresetValue(TrainingOptions options, string preset);
}

/// <summary>An option of type <typeparamref name="T"/> (int, int?, double or an enum) bound to its property.</summary>
public sealed class OptionRow<T>(string name, string property, Func<TrainingOptions, T> get, Func<TrainingOptions, T, TrainingOptions> set, string help)
    : OptionRow(name, property, help)
{
    private static readonly Type Underlying = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);

    /// <summary>The valid values; null when every value is.</summary>
    public Func<T, bool>? Valid { get; init; }
    /// <summary>The value in a preset for a model; null when every preset keeps the record's default.</summary>
    public Func<string, ModelKind, T>? PresetValue { get; init; }

    public override OptionKind Kind => Underlying == typeof(int) ? OptionKind.Integer : Underlying == typeof(double) ? OptionKind.Number : OptionKind.Choice;

    public override IReadOnlyList<string> Choices { get; } =
        Underlying.IsEnum ? [.. Enum.GetNames(Underlying).Select(Spelling)] : [];

    public T Get(TrainingOptions options) => get(options);

    public override string Text(TrainingOptions options) => get(options) switch
    {
        null => "",
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        var value => Spelling(value.ToString()!),
    };

    // an enum member as the command line spells it: lower case, words joined by '-' (TorchMkl → torch-mkl, Float32 → float32)
    private static string Spelling(string member) =>
        string.Concat(member.Select((c, i) => i > 0 && char.IsUpper(c) && char.IsLower(member[i - 1]) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    public override bool TryWith(TrainingOptions options, string text, out TrainingOptions result)
    {
        object? value = Kind switch
        {
            OptionKind.Integer => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null,
            OptionKind.Number => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
            _ => Choices.ToList().FindIndex(c => c.Equals(text, StringComparison.OrdinalIgnoreCase)) is var index and >= 0 ? Enum.GetValues(Underlying).GetValue(index) : null,
        };
        result = value is null ? options : set(options, (T)value);
        return value is not null;
    }

    public override bool IsValid(TrainingOptions options) => Valid?.Invoke(get(options)) ?? true;

    internal override TrainingOptions WithPresetValue(TrainingOptions options, string preset) =>
        PresetValue is { } value && AppliesTo(options.Model) ? set(options, value(preset, options.Model)) : options;
}
