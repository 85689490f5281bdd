using ScratchNet.Models;
using ScratchNet.Randomness;
using ScratchNet.Tests.Training;
using ScratchNet.Training;

namespace ScratchNet.Tests.Models;

/// <summary>The course's numbers on the real data, float64, seed 42 (docs/models.md lists them).</summary>
public sealed class AcceptanceTests(CourseData data) : IClassFixture<CourseData>
{
    [Fact]
    public void Perceptron_matches_the_course_at_epoch_20()
    {
        var (train, dev, test) = data.FashionMnist;
        var model = new Perceptron<double>(784, 10);
        var last = Train(new ClassifierLearner<double>(model, Sgd(model, 1), train, dev, test, false, 42), 20);
        Assert.Equal(0.7126, last.DevAccuracy!.Value, 4);
        Assert.Equal(0.7013, last.TestAccuracy!.Value, 4);
    }

    [Fact]
    public void Logistic_regression_matches_the_course_at_epoch_20()
    {
        var (train, dev, test) = data.FashionMnist;
        var model = new LogisticRegression<double>(784, 10);
        var last = Train(new ClassifierLearner<double>(model, Sgd(model, 0.001), train, dev, test, false, 42), 20);
        Assert.Equal(0.8503, last.DevAccuracy!.Value, 4);
        Assert.Equal(0.8403, last.TestAccuracy!.Value, 4);
    }

    [Fact]
    public void Linear_regression_matches_the_course_at_epoch_150()
    {
        var (train, test) = data.Ames;
        var model = new LinearRegression<double>(348);
        var ridge = RidgeSolution.Solve(train.AllFeatures, train.Targets, 348, 1e-4);
        var history = new List<EpochMetrics>();
        Train(new RegressorLearner<double>(model, Sgd(model, 0.001), train, test, ridge), 150, history: history);
        Assert.Equal(0.1105, history[^1].TrainRmse!.Value, 4);
        Assert.Equal(0.2382, history[^1].TestRmse!.Value, 4);
        var best = history.MinBy(r => r.TestRmse!.Value)!.Epoch;
        Assert.InRange(best, 61, 81);
    }

    [Fact]
    public void Neural_regressor_matches_the_course_at_epoch_150()
    {
        var (train, test) = data.Ames;
        var random = new NumpyRandomState(42);
        var model = new NeuralRegressor<double>(348, [150]);
        model.Initialize(InitKind.Course, random);
        var last = Train(new RegressorLearner<double>(model, Sgd(model, 0.001), train, test), 150, random);
        Assert.Equal(0.0986, last.TrainRmse!.Value, 4);
        Assert.Equal(0.1655, last.TestRmse!.Value, 4);
    }

    internal static Optimizer<double> Sgd(IModel<double> model, double learningRate) =>
        new(OptimizerKind.Sgd, learningRate, 0, model.Parameters);

    internal static EpochMetrics Train(ILearner learner, int epochs, NumpyRandomState? random = null, List<EpochMetrics>? history = null)
    {
        history ??= [];
        var outcome = Trainer.Run(learner, random ?? new NumpyRandomState(42), epochs, 1, history, NullObserver.Instance, CancellationToken.None);
        Assert.Equal(RunStatus.Completed, outcome.Status);
        return history[^1];
    }
}
