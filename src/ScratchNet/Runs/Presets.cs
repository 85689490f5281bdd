using ScratchNet.Models;

namespace ScratchNet.Runs;

/// <summary>
/// The report's settings as named presets. <c>q2</c>/<c>q3</c> are the from-scratch questions (numpy, float64, per-example
/// SGD); <c>q4</c> is the autodiff question (PyTorch defaults: η 0.01, dropout 0.3, PyTorch init, float32).
/// Either engine can run either preset; every option can still be overridden.
/// </summary>
public static class Presets
{
    public static IReadOnlyList<string> Names { get; } = ["q2", "q3", "q4"];

    /// <summary>The default preset of a model: Question 2 for regression, Question 3 for the classifiers.</summary>
    public static string DefaultFor(ModelKind model) => model is ModelKind.LinearRegression or ModelKind.NeuralRegressor ? "q2" : "q3";

    /// <summary>The preset's options for <paramref name="model"/>.</summary>
    public static TrainingOptions For(ModelKind model, string preset) => (preset, model) switch
    {
        ("q2", ModelKind.LinearRegression) => new() { Model = model, Preset = preset, Epochs = 150, LearningRate = 0.001, Init = InitKind.Zeros },
        ("q2", ModelKind.NeuralRegressor) => new() { Model = model, Preset = preset, Epochs = 150, LearningRate = 0.001, HiddenSize = 150, Init = InitKind.Course },
        ("q3", ModelKind.Perceptron) => new() { Model = model, Preset = preset, Epochs = 20, LearningRate = 1, Init = InitKind.Zeros }, // W[y] += x: no step size
        ("q3", ModelKind.LogisticRegression) => new() { Model = model, Preset = preset, Epochs = 20, LearningRate = 0.001, Init = InitKind.Zeros },
        ("q3", ModelKind.Mlp) => new() { Model = model, Preset = preset, Epochs = 20, LearningRate = 0.001, HiddenSize = 200, Init = InitKind.Course },
        ("q4", ModelKind.LogisticRegression or ModelKind.Mlp) => new()
        {
            Model = model, Preset = preset, Engine = Engine.Torch, Epochs = 20, LearningRate = 0.01, BatchSize = 1, HiddenSize = 200,
            Layers = 1, Dropout = model == ModelKind.Mlp ? 0.3 : 0, Activation = Activation.Relu, Optimizer = OptimizerKind.Sgd,
            L2 = 0, Init = InitKind.Torch, Precision = Precision.Float32, Stream = RandomStream.Torch,
        },
        _ when !Names.Contains(preset) => throw SettingNames.Error($"{{Preset}} '{preset}' is unknown: expected one of {string.Join(", ", Names)}."),
        _ => throw SettingNames.Error($"{{Preset}} {preset} has no settings for {model}: use {DefaultFor(model)}."),
    };

    /// <summary>One line per preset, for --help.</summary>
    public static string Describe() =>
        "q2: regression, 150 epochs, η 0.001, hidden 150, float64; " +
        "q3: classifiers from scratch, 20 epochs, η 0.001, hidden 200, per-example SGD, float64; " +
        "q4: autodiff defaults, 20 epochs, η 0.01, batch 1, hidden 200, dropout 0.3, relu, sgd, PyTorch init, float32, libtorch's random stream (default engine torch)";
}
