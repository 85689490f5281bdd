using System.CommandLine;
using ScratchNet.Data;
using ScratchNet.Models;
using ScratchNet.Runs;

namespace ScratchNet.Cli.Options;

/// <summary>
/// The options `regress` and `classify` share. Unset options take the preset's value (q2 for regression, q3 for the
/// classifiers: the course's settings), which --help shows; <see cref="Resolve"/> merges and validates them.
/// </summary>
internal sealed class TrainingCommandOptions
{
    private readonly bool _regression;

    public TrainingCommandOptions(bool regression)
    {
        var hidden = regression ? 150 : 200;
        Epochs = new("--epochs") { Description = $"Training epochs [default: {(regression ? 150 : 20)}]" };
        LearningRate = new("--lr") { Description = regression ? "Learning rate η [default: 0.001]" : "Learning rate η [default: 0.001; 1 for the perceptron, whose rule W[y] += x has no step size]" };
        Hidden = new("--hidden") { Description = $"Units per hidden layer ({(regression ? "neural" : "mlp")} only) [default: {hidden}]" };
        Layers = new("--layers") { Description = $"Hidden layers ({(regression ? "neural" : "mlp")} only) [default: 1]" };
        Activation = new Option<string?>("--activation") { Description = $"Hidden activation: relu or tanh ({(regression ? "neural" : "mlp")} only) [default: relu]" }.AcceptOnlyFromAmong("relu", "tanh");
        Dropout = new("--dropout") { Description = "Dropout probability after each hidden layer, in [0, 1) (mlp only) [default: 0]" };
        Optimizer = new Option<string?>("--optimizer") { Description = "sgd (plain, no momentum) or adam (PyTorch defaults) [default: sgd]" }.AcceptOnlyFromAmong("sgd", "adam");
        BatchSize = new("--batch-size") { Description = "Examples per update (1 = the course's per-example SGD) [default: 1]" };
        L2 = new("--l2") { Description = "L2 weight decay added to the gradient, as PyTorch's weight_decay [default: 0]" };
        Init = new Option<string?>("--init") { Description = $"Weight init: zeros, course (N(0.1, 0.1) from numpy's stream) or torch (nn.Linear's U(±1/√fan_in)) [default: {(regression ? "zeros for linear, course for neural" : "zeros for perceptron/logistic, course for mlp")}]" }.AcceptOnlyFromAmong("zeros", "course", "torch");
        Seed = new("--seed") { Description = "Seed of the run's random stream (init, then each epoch's order; torch: manual_seed) [default: 42]" };
        Precision = new Option<string?>("--precision") { Description = "float64 reproduces the course exactly; float32 is faster [default: float64]" }.AcceptOnlyFromAmong("float64", "float32");
        Lambda = new("--lambda") { Description = "Ridge λ of the analytic solution (XᵀX + λI)⁻¹Xᵀy computed beside SGD (linear only) [default: 0.0001]" };
        Out = new("--out") { Description = "Run folder; one that holds another run or other files is refused [default: runs/<model>-<UTC time>, -2, -3… if taken]" };
        _regression = regression;
        DataDir = new("--data-dir") { Description = $"Folder holding the data set or its {(regression ? "ames" : "fashion-mnist")} subfolder [default: searched: $SCRATCHNET_DATA, ./data, {(regression ? "the repository's bundled data/ames" : "/usr/share/datasets/fashion-mnist")}]" };
        DatasetPath = regression
            ? new("--ames") { Description = DataPathOptions.AmesDescription, HelpName = "FILE|DIR" }
            : new("--fashion-mnist") { Description = DataPathOptions.FashionMnistDescription, HelpName = "DIR" };
        Resume = new("--resume") { Description = "Continue the run in DIR (or --out) from its last epoch checkpoint, with the options of its manifest.json; an option given too must equal the run's", HelpName = "DIR", Arity = ArgumentArity.ZeroOrOne };
        ExtendTo = new("--extend-to") { Description = "With --resume: train the run (finished or not) up to EPOCHS epochs in all; the result equals a run started with --epochs EPOCHS", HelpName = "EPOCHS" };
        Overwrite = new("--overwrite") { Description = "Replace the run in --out (its run files are deleted first; other files are left alone)" };
        Limit = new("--limit") { Description = "Train on the first N training examples only (smoke runs) [default: all]" };
        Engine = new Option<string?>("--engine") { Description = "scratch (this C# engine) or torch (TorchSharp/libtorch; logistic and mlp) [default: the preset's: torch for q4, else scratch]" }.AcceptOnlyFromAmong("scratch", "torch");
        Threads = new("--threads") { Description = "Threads: scratch engine, the mini-batch GEMMs and the per-example first layer (2 = both cores; same results); torch, libtorch's intra-op threads [default: 1]" };
        Stream = new Option<string?>("--stream") { Description = "Random stream of the init, epoch orders and dropout masks: numpy (the course's RandomState) or torch (libtorch's CPU generator, as --engine torch draws) [default: torch for q4 and --engine torch, else numpy]" }.AcceptOnlyFromAmong("numpy", "torch");
        Preset = new("--preset") { Description = $"Defaults to start from: {Presets.Describe()} [default: {(regression ? "q2" : "q3; q4 with --engine torch")}]" };
        foreach (var option in new[] { Epochs, Hidden, Layers, BatchSize, Seed, Limit, Threads, ExtendTo })
            option.Integer();
        foreach (var option in new[] { LearningRate, Dropout, L2, Lambda })
            option.Number();
        // Out of --help where they never apply (still parsed, so giving one is refused with the reason, not "unknown").
        foreach (var option in regression ? new Option[] { Dropout, Engine, Stream } : [Lambda])
            option.Hidden = true;
    }

    public Option<int?> Epochs { get; }
    public Option<double?> LearningRate { get; }
    public Option<int?> Hidden { get; }
    public Option<int?> Layers { get; }
    public Option<string?> Activation { get; }
    public Option<double?> Dropout { get; }
    public Option<string?> Optimizer { get; }
    public Option<int?> BatchSize { get; }
    public Option<double?> L2 { get; }
    public Option<string?> Init { get; }
    public Option<int?> Seed { get; }
    public Option<string?> Precision { get; }
    public Option<double?> Lambda { get; }
    public Option<string?> Out { get; }
    public Option<string?> DataDir { get; }
    /// <summary>--ames FILE|DIR (regress) or --fashion-mnist DIR (classify).</summary>
    public Option<string?> DatasetPath { get; }
    public Option<string?> Resume { get; }
    public Option<int?> ExtendTo { get; }
    public Option<bool> Overwrite { get; }
    public Option<int?> Limit { get; }
    public Option<string?> Engine { get; }
    public Option<int?> Threads { get; }
    public Option<string?> Preset { get; }
    public Option<string?> Stream { get; }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Epochs, LearningRate, Hidden, Layers, Activation, Dropout, Optimizer, BatchSize, L2, Init, Seed, Precision, Lambda, Out, DataDir, DatasetPath, Resume, ExtendTo, Overwrite, Limit, Engine, Threads, Preset, Stream })
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
        var torchClassifier = parse.GetValue(Engine) == "torch" && model is ModelKind.LogisticRegression or ModelKind.Mlp;
        var preset = basis ?? Presets.For(model, parse.GetValue(Preset) ?? (torchClassifier ? "q4" : Presets.DefaultFor(model)));
        var options = preset with
        {
            Engine = parse.GetValue(Engine) is { } engine ? Enum.Parse<Engine>(engine, ignoreCase: true) : preset.Engine,
            Epochs = parse.GetValue(Epochs) ?? preset.Epochs,
            LearningRate = parse.GetValue(LearningRate) ?? preset.LearningRate,
            HiddenSize = parse.GetValue(Hidden) ?? preset.HiddenSize,
            Layers = parse.GetValue(Layers) ?? preset.Layers,
            Activation = parse.GetValue(Activation) is { } activation ? Enum.Parse<Activation>(activation, ignoreCase: true) : preset.Activation,
            Dropout = parse.GetValue(Dropout) ?? preset.Dropout,
            Optimizer = parse.GetValue(Optimizer) is { } optimizer ? Enum.Parse<OptimizerKind>(optimizer, ignoreCase: true) : preset.Optimizer,
            BatchSize = parse.GetValue(BatchSize) ?? preset.BatchSize,
            L2 = parse.GetValue(L2) ?? preset.L2,
            Init = parse.GetValue(Init) is { } init ? Enum.Parse<InitKind>(init, ignoreCase: true) : preset.Init,
            Seed = parse.GetValue(Seed) ?? preset.Seed,
            Precision = parse.GetValue(Precision) is { } precision ? Enum.Parse<Precision>(precision, ignoreCase: true) : preset.Precision,
            RidgeLambda = parse.GetValue(Lambda) ?? preset.RidgeLambda,
            TrainLimit = parse.GetValue(Limit) ?? preset.TrainLimit,
            Threads = parse.GetValue(Threads) ?? preset.Threads,
        };
        // libtorch's stream is the torch engine's only one, and q4's default on the scratch engine
        options = options with
        {
            Stream = parse.GetValue(Stream) is { } stream ? Enum.Parse<RandomStream>(stream, ignoreCase: true)
                : options.Engine == Runs.Engine.Torch ? RandomStream.Torch : preset.Stream,
        };
        Applicability.RefuseInapplicable(preset, options, ModelSpecific(parse));
        return options.Validate();
    }

    // The model-specific options given on the command line, by name without dashes (as Applicability names them).
    private IEnumerable<string> ModelSpecific(ParseResult parse) =>
        new Option[] { Hidden, Layers, Activation, Dropout, Lambda }.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name.TrimStart('-'));
}
