using System.Globalization;
using ScratchNet.Models;
using ScratchNet.Runs;

namespace ScratchNet.Reports;

/// <summary>One training run of the plan: its name (also its folder), the study it belongs to and its resolved options.</summary>
/// <param name="Name">e.g. <c>q4.2-mlp-lr0.001</c>; unique per engine.</param>
/// <param name="Section">The report's section (e.g. <c>Q4.2</c>).</param>
/// <param name="Study">Runs of one study are compared on the dev set (e.g. <c>q4.2</c>); null for single runs.</param>
/// <param name="Setting">What this run changes from the study's defaults, for tables and legends (e.g. <c>η = 0.001</c>).</param>
/// <param name="Options">The resolved options the run trains with.</param>
public sealed record Experiment(string Name, string Section, string? Study, string Setting, TrainingOptions Options)
{
    /// <summary>The folder of this run below the plan's output folder: <c>runs/{engine}/{name}</c>.</summary>
    public string RelativeFolder => Path.Combine("runs", Options.Engine.ToString().ToLowerInvariant(), Name);
}

/// <summary>
/// The report's experiments as data, one definition each: Q2.2a/b (Ames), Q3.1a/b and Q3.2b (from scratch), and the
/// Q4 studies (learning rate for logistic regression; one-at-a-time from the defaults for the MLP; depth).
/// Selection on the dev set, the final number on the test set, as the report did. The report's sections
/// (<see cref="ReportPlan"/>) and reference numbers (<see cref="ReferenceNumbers"/>) refer to these objects.
/// </summary>
public static class ExperimentPlan
{
    /// <summary>A <c>--quick</c> plan trains on this many examples.</summary>
    public const int QuickTrainExamples = 2000;

    private static readonly TrainingOptions Q4Logistic = Presets.For(ModelKind.LogisticRegression, "q4");
    private static readonly TrainingOptions Q4Mlp = Presets.For(ModelKind.Mlp, "q4");

    public static Experiment Q22aLinear { get; } = Single("q2.2a-linear", "Q2.2a", Presets.For(ModelKind.LinearRegression, "q2"));
    public static Experiment Q22bNeural { get; } = Single("q2.2b-neural", "Q2.2b", Presets.For(ModelKind.NeuralRegressor, "q2"));
    public static Experiment Q31aPerceptron { get; } = Single("q3.1a-perceptron", "Q3.1a", Presets.For(ModelKind.Perceptron, "q3"));
    public static Experiment Q31bLogistic { get; } = Single("q3.1b-logistic", "Q3.1b", Presets.For(ModelKind.LogisticRegression, "q3"));
    public static Experiment Q32bMlp { get; } = Single("q3.2b-mlp", "Q3.2b", Presets.For(ModelKind.Mlp, "q3"));

    /// <summary>Q4.1 with η = 0.001, the run the report's Q4.1 numbers come from.</summary>
    public static Experiment Q41Lr0001 { get; } = Q41Rate(0.001);
    /// <summary>Q4.1: logistic regression at three learning rates.</summary>
    public static IReadOnlyList<Experiment> Q41 { get; } = [Q41Lr0001, Q41Rate(0.01), Q41Rate(0.1)];

    /// <summary>Q4.2 with η = 0.001, the run of the report's best Q4.2 test accuracy.</summary>
    public static Experiment Q42Lr0001 { get; } = Q42Change("lr0.001", "η = 0.001", Q4Mlp with { LearningRate = 0.001 });
    /// <summary>Q4.2: the MLP's defaults, then one setting changed at a time.</summary>
    public static IReadOnlyList<Experiment> Q42 { get; } =
    [
        Q42Change("default", "defaults (η = 0.01, hidden 200, dropout 0.3, relu, sgd)", Q4Mlp),
        Q42Lr0001,
        Q42Change("lr0.1", "η = 0.1", Q4Mlp with { LearningRate = 0.1 }),
        Q42Change("hidden100", "hidden 100", Q4Mlp with { HiddenSize = 100 }),
        Q42Change("dropout0.5", "dropout 0.5", Q4Mlp with { Dropout = 0.5 }),
        Q42Change("tanh", "tanh", Q4Mlp with { Activation = Activation.Tanh }),
        Q42Change("adam", "adam", Q4Mlp with { Optimizer = OptimizerKind.Adam }),
    ];

    /// <summary>Q4.3 with 2 hidden layers, the run of the report's Q4.3 number.</summary>
    public static Experiment Q43Layers2 { get; } = Q43Depth(2);
    /// <summary>Q4.3: the Q4.2 defaults with 2 and 3 hidden layers.</summary>
    public static IReadOnlyList<Experiment> Q43 { get; } = [Q43Layers2, Q43Depth(3)];

    public static IReadOnlyList<Experiment> Build(IReadOnlyList<Engine> engines, bool quick)
    {
        var plan = new List<Experiment>();
        foreach (var engine in engines)
        {
            // Q2 and Q3 are the from-scratch questions: only the scratch engine implements all their models.
            if (engine == Engine.Scratch)
                plan.AddRange([Q22aLinear, Q22bNeural, Q31aPerceptron, Q31bLogistic, Q32bMlp]);
            plan.AddRange(Q41.Concat(Q42).Concat(Q43).Select(run => run with { Options = run.Options.OnEngine(engine) }));
        }
        return quick ? [.. plan.Select(Quicken)] : plan;
    }

    /// <summary>
    /// The smoke version of a run: a few epochs on the first <see cref="QuickTrainExamples"/> training examples. Its numbers
    /// are not comparable with the report, and the report says so.
    /// </summary>
    private static Experiment Quicken(Experiment run) => run with
    {
        Options = run.Options with
        {
            Epochs = run.Options.IsRegression ? 15 : 3,
            TrainLimit = run.Options.IsRegression ? null : QuickTrainExamples,
        },
    };

    /// <summary>
    /// A rough relative cost (examples × epochs × weights touched per example), to start the longest runs first so
    /// parallel workers finish together. Per-example Adam updates every weight at every step; SGD only the rows of
    /// nonzero inputs; libtorch pays a large fixed cost per step.
    /// </summary>
    public static double EstimatedCost(TrainingOptions options)
    {
        var examples = options.IsRegression ? 1465.0 : options.TrainLimit ?? 50_000;
        var inputs = options.IsRegression ? 349.0 : 785.0;
        var weights = options.Model switch
        {
            ModelKind.LinearRegression => inputs,
            ModelKind.Perceptron or ModelKind.LogisticRegression => inputs * 10,
            _ => inputs * options.HiddenSize + (options.Layers - 1.0) * options.HiddenSize * options.HiddenSize + options.HiddenSize * 10.0,
        };
        var optimizer = options.Optimizer == OptimizerKind.Adam ? 6.0 : 1.0;
        var engine = options.Engine == Engine.Torch ? 8.0 : 1.0;
        return examples * options.Epochs * weights * optimizer * engine / options.BatchSize;
    }

    private static Experiment Single(string name, string section, TrainingOptions options) => new(name, section, null, "course settings", options);

    private static Experiment Q41Rate(double rate) =>
        new($"q4.1-logistic-lr{rate.ToString(CultureInfo.InvariantCulture)}", "Q4.1", "q4.1", $"η = {rate.ToString(CultureInfo.InvariantCulture)}", Q4Logistic with { LearningRate = rate });

    private static Experiment Q42Change(string name, string setting, TrainingOptions options) => new($"q4.2-mlp-{name}", "Q4.2", "q4.2", setting, options);

    private static Experiment Q43Depth(int layers) => new($"q4.3-mlp-layers{layers}", "Q4.3", "q4.3", $"{layers} hidden layers", Q4Mlp with { Layers = layers });
}
