using System.Globalization;
using ScratchNet.Runs;

namespace ScratchNet.Cli.Options;

/// <summary>
/// Which settings mean something for which model. A setting that does not apply would change nothing, so giving it is
/// an error (a sweep over it would train identical runs; a run with it would silently ignore it); the printed
/// configuration leaves such settings out.
/// </summary>
internal static class Applicability
{
    /// <summary>The settings, by their option name without dashes, that only some models have.</summary>
    public static IReadOnlyList<string> ModelSpecific { get; } = ["hidden", "layers", "activation", "dropout", "lambda"];

    /// <summary>Null when <paramref name="key"/> (an option name without dashes) applies to <paramref name="model"/>; else why not.</summary>
    public static string? WhyNot(string key, ModelKind model) => key switch
    {
        "hidden" or "layers" or "activation" when model is not (ModelKind.Mlp or ModelKind.NeuralRegressor) =>
            $"{Describe(model)} has no hidden layer (mlp and neural have)",
        "dropout" when model is not ModelKind.Mlp => $"{Describe(model)} has no dropout (mlp has)",
        "lambda" when model is not ModelKind.LinearRegression =>
            "λ is the ridge term of the analytic solution computed beside linear regression (regress linear)",
        _ => null,
    };

    /// <summary>The model's name on the command line: linear, neural, perceptron, logistic, mlp.</summary>
    public static string CliName(ModelKind model) => model switch
    {
        ModelKind.LinearRegression => "linear",
        ModelKind.NeuralRegressor => "neural",
        ModelKind.Perceptron => "perceptron",
        ModelKind.LogisticRegression => "logistic",
        _ => "mlp",
    };

    /// <summary>
    /// Refuses an option the user gave that does not apply to the model, unless it only restates the value in effect
    /// (worker command lines spell out every setting, e.g. <c>--hidden 200</c> for logistic regression).
    /// </summary>
    public static void RefuseInapplicable(TrainingOptions preset, TrainingOptions resolved, IEnumerable<string> given)
    {
        foreach (var key in given.Where(ModelSpecific.Contains))
        {
            if (WhyNot(key, resolved.Model) is not { } why)
                continue;
            var (value, original) = Values(key, resolved, preset);
            if (value != original)
                throw new UsageException($"--{key} {value} does not apply to {CliName(resolved.Model)}: {why}. Leave --{key} out.");
        }
    }

    private static (string Value, string Preset) Values(string key, TrainingOptions resolved, TrainingOptions preset) => key switch
    {
        "hidden" => (Text(resolved.HiddenSize), Text(preset.HiddenSize)),
        "layers" => (Text(resolved.Layers), Text(preset.Layers)),
        "activation" => (resolved.Activation.ToString().ToLowerInvariant(), preset.Activation.ToString().ToLowerInvariant()),
        "dropout" => (Text(resolved.Dropout), Text(preset.Dropout)),
        _ => (Text(resolved.RidgeLambda), Text(preset.RidgeLambda)),
    };

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Describe(ModelKind model) => model switch
    {
        ModelKind.LinearRegression => "linear regression",
        ModelKind.NeuralRegressor => "the neural regressor",
        ModelKind.Perceptron => "the perceptron",
        ModelKind.LogisticRegression => "logistic regression",
        _ => "the mlp",
    };
}
