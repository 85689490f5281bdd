using System.CommandLine;
using System.Globalization;
using ScratchNet.Training;

namespace ScratchNet.Cli.Options;

/// <summary>
/// The options `regress` and `classify` share. Unset options take the preset's value (q2 for regression, q3 for the
/// classifiers: the course's settings), which --help shows; <see cref="Resolve"/> merges and validates them.
/// </summary>
internal sealed class TrainingCommandOptions
{
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
        Seed = new("--seed") { Description = "Seed of the run's numpy stream (init, then one permutation per epoch) [default: 42]" };
        Precision = new Option<string?>("--precision") { Description = "float64 reproduces the course exactly; float32 is faster [default: float64]" }.AcceptOnlyFromAmong("float64", "float32");
        Lambda = new("--lambda") { Description = "Ridge λ of the analytic solution (XᵀX + λI)⁻¹Xᵀy computed beside SGD (linear only) [default: 0.0001]" };
        Out = new("--out") { Description = "Run folder [default: runs/<model>-<UTC time>]" };
        DataDir = new("--data-dir") { Description = $"Folder holding the data set [default: searched: $SCRATCHNET_DATA, ./data, {(regression ? "../shared/datasets/ames" : "/usr/share/datasets/fashion-mnist")}]" };
        Resume = new("--resume") { Description = "Continue the run in --out from its last epoch checkpoint (same options)" };
        Limit = new("--limit") { Description = "Train on the first N training examples only (smoke runs) [default: all]" };
        Engine = new Option<string?>("--engine") { Description = "scratch (this C# engine) or torch (TorchSharp/libtorch; logistic and mlp) [default: the preset's: torch for q4, else scratch]" }.AcceptOnlyFromAmong("scratch", "torch");
        Threads = new("--threads") { Description = "Threads: scratch engine, the mini-batch GEMMs and the per-example first layer (2 = both cores; same results); torch, libtorch's intra-op threads [default: 1]" };
        Preset = new("--preset") { Description = $"Defaults to start from: {Presets.Describe()} [default: {(regression ? "q2" : "q3; q4 with --engine torch")}]" };
        foreach (var option in new[] { Epochs, Hidden, Layers, BatchSize, Seed, Limit, Threads })
            option.Integer();
        foreach (var option in new[] { LearningRate, Dropout, L2, Lambda })
            option.Number();
        // Out of --help where they never apply (still parsed, so giving one is refused with the reason, not "unknown").
        foreach (var option in regression ? new Option[] { Dropout, Engine } : [Lambda])
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
    public Option<bool> Resume { get; }
    public Option<int?> Limit { get; }
    public Option<string?> Engine { get; }
    public Option<int?> Threads { get; }
    public Option<string?> Preset { get; }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Epochs, LearningRate, Hidden, Layers, Activation, Dropout, Optimizer, BatchSize, L2, Init, Seed, Precision, Lambda, Out, DataDir, Resume, Limit, Engine, Threads, Preset })
            command.Options.Add(option);
    }

    /// <summary>The preset's options overridden by every option the user gave, validated.</summary>
    public TrainingOptions Resolve(ParseResult parse, ModelKind model)
    {
        // Question 4's settings are the autodiff engine's defaults: --engine torch without --preset starts from q4.
        var torchClassifier = parse.GetValue(Engine) == "torch" && model is ModelKind.LogisticRegression or ModelKind.Mlp;
        var preset = Presets.For(model, parse.GetValue(Preset) ?? (torchClassifier ? "q4" : Presets.DefaultFor(model)));
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
        Applicability.RefuseInapplicable(preset, options, ModelSpecific(parse));
        return options.Validate();
    }

    // The model-specific options given on the command line, by name without dashes (as Applicability names them).
    private IEnumerable<string> ModelSpecific(ParseResult parse) =>
        new Option[] { Hidden, Layers, Activation, Dropout, Lambda }.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name.TrimStart('-'));

    /// <summary>--out, or runs/&lt;model&gt;-&lt;UTC time&gt;.</summary>
    public string OutputFolder(ParseResult parse, string model) =>
        parse.GetValue(Out) ?? Path.Combine("runs", $"{model}-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
}
