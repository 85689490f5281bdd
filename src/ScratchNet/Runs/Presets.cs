namespace ScratchNet.Runs;

/// <summary>
/// The report's settings as named presets. <c>q2</c>/<c>q3</c> are the from-scratch questions (numpy, float64, per-example
/// SGD); <c>q4</c> is the autodiff question (PyTorch defaults: η 0.01, dropout 0.3, PyTorch init, float32).
/// Either engine can run either preset; every option can still be overridden.
/// </summary>
public static class Presets
{
    public static IReadOnlyList<string> Names { get; } = [.. OptionTable.Presets.Select(p => p.Name)];

    /// <summary>The default preset of a model: Question 2 for regression, Question 3 for the classifiers.</summary>
    public static string DefaultFor(ModelKind model) => model is ModelKind.LinearRegression or ModelKind.NeuralRegressor ? "q2" : "q3";

    /// <summary>The preset's options for <paramref name="model"/>: each option's preset value (<see cref="OptionTable"/>).</summary>
    public static TrainingOptions For(ModelKind model, string preset) =>
        OptionTable.Presets.FirstOrDefault(p => p.Name == preset) switch
        {
            null => throw SettingNames.Error($"{{Preset}} '{preset}' is unknown: expected one of {string.Join(", ", Names)}."),
            { } row when !row.Models.Contains(model) => throw SettingNames.Error($"{{Preset}} {preset} has no settings for {model}: use {DefaultFor(model)}."),
            { } row => OptionTable.PresetOptions(row, model),
        };

    /// <summary>One line per preset, for --help.</summary>
    public static string Describe() => OptionTable.DescribePresets();
}
