using System.CommandLine;
using System.Globalization;
using ScratchNet.Cli.Options;
using ScratchNet.Reports;
using ScratchNet.Runs;

namespace ScratchNet.Tests.Experiments;

/// <summary>
/// The q2/q3 presets are the course's settings, fact by fact (the project's REFERENCE.md, "Training, as the course code did
/// it"): the resolved options of each of reproduce's Q2/Q3 runs, and of `regress`/`classify` given no option, must be
/// exactly these. A wrong preset value fails here even when no long training test runs.
/// </summary>
public class CoursePresetTests
{
    // REFERENCE.md: seed 42 everywhere; per-example SGD (batch 1, plain SGD, no weight decay); float64 (numpy); all data.
    private const string Common = "engine=Scratch batch=1 optimizer=Sgd l2=0 seed=42 precision=Float64 limit=all";

    [Theory]
    // Q2 linear regression: w = 0, 150 epochs, η = 0.001; the analytic solution with the course's λ = 1e-4.
    [InlineData("q2.2a-linear", ModelKind.LinearRegression, "q2", "epochs=150 lr=0.001 init=Zeros lambda=0.0001")]
    // Q2 neural regressor: 348 → 150 ReLU → 1, η = 0.001, 150 epochs, N(0.1, 0.1) init (numpy), biases 0.
    [InlineData("q2.2b-neural", ModelKind.NeuralRegressor, "q2", "epochs=150 lr=0.001 init=Course hidden=150 layers=1 activation=Relu dropout=0")]
    // Q3 perceptron: W = 0, 20 epochs; W[y] += x has no step size (η = 1).
    [InlineData("q3.1a-perceptron", ModelKind.Perceptron, "q3", "epochs=20 lr=1 init=Zeros")]
    // Q3 logistic regression: W = 0, η = 0.001, 20 epochs.
    [InlineData("q3.1b-logistic", ModelKind.LogisticRegression, "q3", "epochs=20 lr=0.001 init=Zeros")]
    // Q3 MLP: 784 → 200 ReLU → 10, η = 0.001, 20 epochs, N(0.1, 0.1) init (numpy), biases 0, no dropout.
    [InlineData("q3.2b-mlp", ModelKind.Mlp, "q3", "epochs=20 lr=0.001 init=Course hidden=200 layers=1 activation=Relu dropout=0")]
    public void Each_course_run_trains_with_the_reference_settings(string run, ModelKind model, string preset, string facts)
    {
        var planned = ExperimentPlan.Build([Engine.Scratch], quick: false).Single(r => r.Name == run).Options;
        Assert.Equal((model, preset), (planned.Model, planned.Preset));
        Assert.Equal($"{facts} {Common}", Describe(planned));
        Assert.Equal($"{facts} {Common}", Describe(Presets.For(model, preset)));
    }

    [Theory]
    [InlineData("q2.2a-linear", ModelKind.LinearRegression)]
    [InlineData("q2.2b-neural", ModelKind.NeuralRegressor)]
    [InlineData("q3.1a-perceptron", ModelKind.Perceptron)]
    [InlineData("q3.1b-logistic", ModelKind.LogisticRegression)]
    [InlineData("q3.2b-mlp", ModelKind.Mlp)]
    public void A_command_with_no_options_trains_what_reproduce_trains(string run, ModelKind model)
    {
        var planned = ExperimentPlan.Build([Engine.Scratch], quick: false).Single(r => r.Name == run).Options;
        var options = new TrainingCommandOptions(regression: planned.IsRegression);
        var command = new Command(planned.IsRegression ? "regress" : "classify");
        options.AddTo(command);
        var resolved = options.Resolve(command.Parse([]), model);
        Assert.Equal(Describe(planned), Describe(resolved));
        Assert.Equal(planned.ConfigHash(), resolved.ConfigHash());
    }

    [Fact]
    public void A_changed_preset_value_is_caught()
    {
        // The comparison above can fail: one setting off gives another description.
        var planned = ExperimentPlan.Build([Engine.Scratch], quick: false).Single(r => r.Name == "q3.2b-mlp").Options;
        Assert.NotEqual(Describe(planned), Describe(planned with { HiddenSize = 100 }));
        Assert.NotEqual(Describe(planned), Describe(planned with { Seed = 7 }));
        Assert.NotEqual(Describe(planned), Describe(planned with { Precision = Precision.Float32 }));
    }

    /// <summary>The settings that decide the model's numbers, as text (readable when an assertion fails).</summary>
    private static string Describe(TrainingOptions o)
    {
        var parts = new List<string> { $"epochs={o.Epochs}", $"lr={N(o.LearningRate)}", $"init={o.Init}" };
        if (o.Model == ModelKind.LinearRegression)
            parts.Add($"lambda={N(o.RidgeLambda)}");
        if (o.Model is ModelKind.NeuralRegressor or ModelKind.Mlp)
            parts.AddRange([$"hidden={o.HiddenSize}", $"layers={o.Layers}", $"activation={o.Activation}", $"dropout={N(o.Dropout)}"]);
        else if (o.Dropout != 0)
            parts.Add($"dropout={N(o.Dropout)}");
        parts.AddRange([$"engine={o.Engine}", $"batch={o.BatchSize}", $"optimizer={o.Optimizer}", $"l2={N(o.L2)}", $"seed={o.Seed}",
            $"precision={o.Precision}", $"limit={(o.TrainLimit is { } limit ? limit.ToString(CultureInfo.InvariantCulture) : "all")}"]);
        return string.Join(' ', parts);
    }

    private static string N(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
