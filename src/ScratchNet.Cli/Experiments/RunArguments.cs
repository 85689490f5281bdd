using System.Globalization;
using ScratchNet.Runs;

namespace ScratchNet.Cli.Experiments;

/// <summary>
/// Turns resolved options into the explicit `scratchnet regress|classify …` command line that trains them: what worker
/// processes run, and what `sweep --emit-jobs` writes, one self-contained command per configuration.
/// </summary>
public static class RunArguments
{
    /// <param name="options">The resolved options of the run.</param>
    /// <param name="outDir">The run folder.</param>
    /// <param name="dataDir">--data-dir to pass on, if any.</param>
    /// <param name="fashionMnist">--fashion-mnist to pass on to classify runs, if any.</param>
    /// <param name="ames">--ames to pass on to regress runs, if any.</param>
    public static IReadOnlyList<string> For(TrainingOptions options, string outDir, string? dataDir = null, string? fashionMnist = null, string? ames = null)
    {
        var (verb, model) = options.Model switch
        {
            ModelKind.LinearRegression => ("regress", "linear"),
            ModelKind.NeuralRegressor => ("regress", "neural"),
            ModelKind.Perceptron => ("classify", "perceptron"),
            ModelKind.LogisticRegression => ("classify", "logistic"),
            _ => ("classify", "mlp"),
        };
        var args = new List<string>
        {
            verb, model,
            "--engine", Lower(options.Engine),
            "--epochs", Number(options.Epochs),
            "--lr", Number(options.LearningRate),
            "--batch-size", Number(options.BatchSize),
            "--hidden", Number(options.HiddenSize),
            "--layers", Number(options.Layers),
            "--activation", Lower(options.Activation),
            "--dropout", Number(options.Dropout),
            "--optimizer", Lower(options.Optimizer),
            "--l2", Number(options.L2),
            "--init", Lower(options.Init),
            "--seed", Number(options.Seed),
            "--precision", Lower(options.Precision),
            "--lambda", Number(options.RidgeLambda),
            "--threads", Number(options.Threads),
            "--preset", options.Preset,
            "--stream", Lower(options.Stream),
        };
        if (options.TrainLimit is { } limit)
            args.AddRange(["--limit", Number(limit)]);
        if (dataDir is not null)
            args.AddRange(["--data-dir", dataDir]);
        if (verb == "classify" && fashionMnist is not null)
            args.AddRange(["--fashion-mnist", fashionMnist]);
        if (verb == "regress" && ames is not null)
            args.AddRange(["--ames", ames]);
        args.AddRange(["--out", outDir]);
        return args;
    }

    /// <summary>The command as one shell line, each argument quoted when it needs to be.</summary>
    public static string ShellLine(string program, IEnumerable<string> args) =>
        string.Join(' ', new[] { program }.Concat(args).Select(Quote));

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,@".Contains(c)) ? arg : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
