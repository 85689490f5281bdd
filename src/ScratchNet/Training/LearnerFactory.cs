using System.Numerics;
using ScratchNet.Data;
using ScratchNet.Models;
using ScratchNet.Randomness;
using ScratchNet.Runs;

namespace ScratchNet.Training;

/// <summary>
/// Builds the scratch-engine learner a <see cref="TrainingOptions"/> describes. On numpy's stream, the run's one numpy
/// stream (<c>np.random.seed(seed)</c>) first draws the initial weights, then the trainer draws each epoch's permutation
/// from it. On libtorch's (<see cref="RandomStream.Torch"/>, <see cref="RandomStream.TorchMkl"/>), one
/// <see cref="TorchGenerator"/> seeded as <c>torch.manual_seed(seed)</c> draws, in the torch engine's order, each
/// nn.Linear's weight and bias, then per epoch the DataLoader's two seeds and per training forward the dropout masks (on
/// the stream's Bernoulli path). The stream of epoch orders is returned with the learner.
/// </summary>
public static class LearnerFactory
{
    public static (ILearner Learner, IEpochOrders Stream) ForClassification(TrainingOptions options, LabeledImages train, LabeledImages dev, LabeledImages test) =>
        options.Precision == Precision.Float64
            ? Classification<double>(options, train, dev, test)
            : Classification<float>(options, train, dev, test);

    public static (ILearner Learner, IEpochOrders Stream) ForRegression(TrainingOptions options, RegressionSet train, RegressionSet test) =>
        options.Precision == Precision.Float64
            ? Regression<double>(options, train, test)
            : Regression<float>(options, train, test);

    private static (ILearner, IEpochOrders) Classification<T>(TrainingOptions options, LabeledImages train, LabeledImages dev, LabeledImages test)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (options.Stream.IsTorch())
            return TorchStreamClassification<T>(options, train, dev, test);
        var stream = new NumpyRandomState((uint)options.Seed);
        IClassifierModel<T> model = options.Model switch
        {
            ModelKind.Perceptron => WithInit<Perceptron<T>, T>(new Perceptron<T>(train.Features, train.Classes), options.Init, stream),
            ModelKind.LogisticRegression => WithInit<LogisticRegression<T>, T>(new LogisticRegression<T>(train.Features, train.Classes), options.Init, stream),
            ModelKind.Mlp => Mlp<T>(options, train, stream),
            _ => throw new UsageException($"{options.Model} is a regression model; use `scratchnet regress`."),
        };
        var optimizer = new Optimizer<T>(options.Optimizer, options.LearningRate, options.L2, model.Parameters);
        return (new ClassifierLearner<T>(model, optimizer, train, dev, test, evaluateTrain: true, (uint)options.Seed, options.Threads), stream);
    }

    private static Mlp<T> Mlp<T>(TrainingOptions options, LabeledImages train, NumpyRandomState stream) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = new Mlp<T>(train.Features, Enumerable.Repeat(options.HiddenSize, options.Layers).ToArray(), train.Classes, options.Activation, options.Dropout);
        model.Initialize(options.Init, stream);
        return model;
    }

    // libtorch's stream: manual_seed(seed), then the model's nn.Linear layers in construction order (weight, then bias),
    // then, while training, the DataLoader's draws and Dropout's masks from the same generator.
    private static (ILearner, IEpochOrders) TorchStreamClassification<T>(TrainingOptions options, LabeledImages train, LabeledImages dev, LabeledImages test)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!options.Stream.IsTorch() || options.Model is not (ModelKind.LogisticRegression or ModelKind.Mlp) || options.Init == InitKind.Course)
            throw SettingNames.Error($"{{Stream}} {options.Stream.Text()} trains the logistic and mlp classifiers with {{Init}} torch or zeros (got {options.Model}, {{Init}} {options.Init.ToString().ToLowerInvariant()}).");
        var generator = new TorchGenerator(options.Seed, options.Stream.BernoulliPath());
        IClassifierModel<T> model;
        long dropoutDrawsPerEpoch = 0;
        if (options.Model == ModelKind.LogisticRegression)
        {
            var logistic = new LogisticRegression<T>(train.Features, train.Classes);
            if (options.Init == InitKind.Torch)
                TorchInitialization.FillWithBiasColumn(generator, logistic.Weight);
            model = logistic;
        }
        else
        {
            var mlp = new Mlp<T>(train.Features, Enumerable.Repeat(options.HiddenSize, options.Layers).ToArray(), train.Classes, options.Activation, options.Dropout);
            if (options.Init == InitKind.Torch)
                TorchInitialization.Fill(generator, mlp.Network);
            if (options.Dropout > 0)
            {
                // one mask per hidden layer per batch (the last one may be short)
                var batches = (train.Count + options.BatchSize - 1) / options.BatchSize;
                dropoutDrawsPerEpoch = generator.DropoutDraws((long)train.Count * options.HiddenSize * options.Layers, (long)batches * options.Layers);
            }
            model = mlp;
        }
        var optimizer = new Optimizer<T>(options.Optimizer, options.LearningRate, options.L2, model.Parameters);
        var learner = new ClassifierLearner<T>(model, optimizer, train, dev, test, evaluateTrain: false, (uint)options.Seed, options.Threads, sharedDropout: generator);
        return (learner, new TorchEpochOrders(generator, dropoutDrawsPerEpoch));
    }

    private static (ILearner, IEpochOrders) Regression<T>(TrainingOptions options, RegressionSet train, RegressionSet test)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var stream = new NumpyRandomState((uint)options.Seed);
        IRegressorModel<T> model;
        double[]? analytic = null;
        if (options.Model == ModelKind.LinearRegression)
        {
            model = WithInit<LinearRegression<T>, T>(new LinearRegression<T>(train.FeatureCount), options.Init, stream);
            analytic = RidgeSolution.Solve(train.AllFeatures, train.Targets, train.FeatureCount, options.RidgeLambda);
        }
        else if (options.Model == ModelKind.NeuralRegressor)
        {
            var neural = new NeuralRegressor<T>(train.FeatureCount, Enumerable.Repeat(options.HiddenSize, options.Layers).ToArray(), options.Activation);
            neural.Initialize(options.Init, stream);
            model = neural;
        }
        else
        {
            throw new UsageException($"{options.Model} is a classifier; use `scratchnet classify`.");
        }
        var optimizer = new Optimizer<T>(options.Optimizer, options.LearningRate, options.L2, model.Parameters);
        return (new RegressorLearner<T>(model, optimizer, train, test, analytic), stream);
    }

    // The single-matrix models (bias column included): zeros as the course, N(0.1, 0.1) in (out, in) C order, or
    // U(−1/√fan_in, 1/√fan_in) over the whole matrix.
    private static TModel WithInit<TModel, T>(TModel model, InitKind init, NumpyRandomState stream)
        where TModel : IModel<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        var weight = model.Parameters[0];
        Array.Clear(weight.Value);
        if (init == InitKind.Zeros)
            return model;
        var bound = 1.0 / Math.Sqrt(weight.Shape[1]);
        for (var i = 0; i < weight.Value.Length; i++)
            weight.Value[i] = T.CreateChecked(init == InitKind.Course ? stream.Normal(0.1, 0.1) : -bound + 2 * bound * stream.NextDouble());
        return model;
    }
}
