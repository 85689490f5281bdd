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
