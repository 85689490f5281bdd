using ScratchNet.Randomness;
using ScratchNet.Reports;
using ScratchNet.Runs;
using ScratchNet.Tests.Training;
using ScratchNet.Training;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Models;

/// <summary>
/// The course's numbers on the real data, each run exactly as `reproduce` runs it: the options of the plan's entry
/// (<see cref="ExperimentPlan"/>, built from <see cref="Presets"/>), the learner and numpy stream from
/// <see cref="LearnerFactory"/>, and <see cref="Trainer.Run"/> with the plan's epochs and batch size. The reference
/// numbers are REFERENCE.md's (docs/models.md lists them).
/// </summary>
public sealed class AcceptanceTests(CourseData data, ITestOutputHelper output) : IClassFixture<CourseData>
{
    [Fact]
    public void Perceptron_matches_the_course_at_epoch_20()
    {
        var last = RunPlanned("q3.1a-perceptron")[^1];
        Assert.Equal(0.7126, last.DevAccuracy!.Value, 4);
        Assert.Equal(0.7013, last.TestAccuracy!.Value, 4);
    }

    [Fact]
    public void Logistic_regression_matches_the_course_at_epoch_20()
    {
        var last = RunPlanned("q3.1b-logistic")[^1];
        Assert.Equal(0.8503, last.DevAccuracy!.Value, 4);
        Assert.Equal(0.8403, last.TestAccuracy!.Value, 4);
    }

    [Fact]
    public void Mlp_matches_the_course_at_epoch_20_within_0_002()
    {
        // Q3.2b: 784 → 200 ReLU → 10, N(0.1, 0.1) init from numpy's stream, per-example SGD, float64, seed 42, 20
        // epochs. The trajectory is chaotic under rounding (REFERENCE.md: another summation order ends at 0.8782 /
        // 0.8707), so the report's 0.8776 / 0.8704 hold within the stated tolerance 0.002, not to the digit.
        var history = RunPlanned("q3.2b-mlp");
        Assert.Equal(20, history.Count);
        var last = history[^1];
        output.WriteLine($"epoch 20: dev {last.DevAccuracy:F4}, test {last.TestAccuracy:F4}, train loss {last.TrainLoss:R}");
        Assert.InRange(last.DevAccuracy!.Value, 0.8776 - 0.002, 0.8776 + 0.002);
        Assert.InRange(last.TestAccuracy!.Value, 0.8704 - 0.002, 0.8704 + 0.002);
    }

    [Fact]
    public void Linear_regression_matches_the_course_at_epoch_150_with_its_lowest_test_RMSE_at_epoch_71()
    {
        var history = RunPlanned("q2.2a-linear");
        Assert.Equal(150, history.Count);
        Assert.Equal(0.1105, history[^1].TrainRmse!.Value, 4);
        Assert.Equal(0.2382, history[^1].TestRmse!.Value, 4);
        var best = history.MinBy(r => r.TestRmse!.Value)!;
        output.WriteLine($"lowest test RMSE {best.TestRmse:R} at epoch {best.Epoch}; next lowest at epochs {string.Join(", ", history.OrderBy(r => r.TestRmse).Skip(1).Take(3).Select(r => r.Epoch))}");
        // The report's Figure 2a and README: test RMSE is lowest at epoch 71, then rises.
        Assert.Equal(71, best.Epoch);
    }

    [Fact]
    public void Neural_regressor_matches_the_course_at_epoch_150()
    {
        var last = RunPlanned("q2.2b-neural")[^1];
        Assert.Equal(0.0986, last.TrainRmse!.Value, 4);
        Assert.Equal(0.1655, last.TestRmse!.Value, 4);
    }

    [Fact]
    public void Q4_2_best_mlp_on_the_scratch_engine_is_close_to_the_reports_test_accuracy()
    {
        // Q4.2's best run (η 0.001, the q4 defaults: dropout 0.3, PyTorch's stream and init) on the scratch engine: "close"
        // to the report's 0.8793 within the tolerance the report prints, max(2σ, 0.003) of its measured seed spread.
        var (reference, _, test) = RunChaotic(ExperimentPlan.Q42Lr0001);
        Assert.InRange(test, reference.Value - reference.Tolerance.Value, reference.Value + reference.Tolerance.Value);
    }

    [Fact]
    public void Q4_3_two_hidden_layers_on_the_scratch_engine_is_a_draw_of_its_measured_seed_spread()
    {
        // Q4.3 (2 hidden layers, the q4 defaults). The report's 0.8745 is NOT within tolerance of seed 42's 0.8567 (the
        // report prints "differs", README explains why): seed 42 is a low draw and the report's a high one. What a test
        // can hold is that the run is the one its evidence recorded, and that it lies within 2σ of that spread's mean.
        var (_, evidence, test) = RunChaotic(ExperimentPlan.Q43Layers2);
        Assert.InRange(test, evidence.Mean - evidence.Tolerance, evidence.Mean + evidence.Tolerance);
    }

    // A chaotic reference row's run (seed 42, reproduce's plan): its final test accuracy, which must be the seed-42 value
    // its tolerance evidence recorded; the row and the evidence for the caller's own assertion.
    private (ReferenceNumber Reference, SpreadEvidence Evidence, double Test) RunChaotic(Experiment experiment)
    {
        var reference = ReferenceNumbers.All.Single(r => r.Experiment == experiment && r.Metric == ReportMetric.FinalTestAccuracy);
        var evidence = reference.Tolerance.Evidence;
        Assert.NotNull(evidence);
        Assert.Equal(evidence.Tolerance, reference.Tolerance.Value);
        var test = RunPlanned(experiment.Name)[^1].TestAccuracy!.Value;
        output.WriteLine($"{experiment.Section} {experiment.Name} seed 42: test {test:F4}; report {reference.Value:F4}, gap " +
            $"{Math.Abs(test - reference.Value):F4}, tolerance {reference.Tolerance.Value:F4} ({evidence.Summary})");
        AssertIsSeedOf(evidence, 42, test);
        return (reference, evidence, test);
    }

    // The evidence behind a tolerance holds this very run's value: when the arithmetic changes a result, the seed spread
    // must be measured again (its command is in tolerance-evidence.json), and this says so.
    private static void AssertIsSeedOf(SpreadEvidence evidence, int seed, double value)
    {
        var index = evidence.Seeds.ToList().IndexOf(seed);
        Assert.True(index >= 0, $"seed {seed} is not among the evidence's seeds");
        Assert.True(Math.Round(value, 4) == evidence.Values[index],
            $"seed {seed} now ends at {value:F4} but tolerance-evidence.json (commit {evidence.Commit}) recorded {evidence.Values[index]:F4}: measure the spread again with `{evidence.Command}`");
    }

    /// <summary>Trains the full (not --quick) scratch plan's run <paramref name="name"/> as a reproduce worker does; its per-epoch metrics.</summary>
    private List<EpochMetrics> RunPlanned(string name)
    {
        var options = ExperimentPlan.Build([Engine.Scratch], quick: false).Single(run => run.Name == name).Options;
        Assert.Null(options.TrainLimit);
        var (learner, stream) = options.IsRegression
            ? LearnerFactory.ForRegression(options, data.Ames.Train, data.Ames.Test)
            : LearnerFactory.ForClassification(options, data.FashionMnist.Train, data.FashionMnist.Dev, data.FashionMnist.Test);
        var history = new List<EpochMetrics>();
        var outcome = Trainer.Run(learner, stream, options.Epochs, options.BatchSize, history, NullObserver.Instance, CancellationToken.None);
        Assert.Equal(RunStatus.Completed, outcome.Status);
        return history;
    }

    internal static Optimizer<double> Sgd(ScratchNet.Models.IModel<double> model, double learningRate) =>
        new(OptimizerKind.Sgd, learningRate, 0, model.Parameters);

    internal static EpochMetrics Train(ILearner learner, int epochs, NumpyRandomState? random = null, List<EpochMetrics>? history = null)
    {
        history ??= [];
        var outcome = Trainer.Run(learner, random ?? new NumpyRandomState(42), epochs, 1, history, NullObserver.Instance, CancellationToken.None);
        Assert.Equal(RunStatus.Completed, outcome.Status);
        return history[^1];
    }
}
