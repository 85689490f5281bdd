using ScratchNet.Models;
using ScratchNet.Runs;
using ScratchNet.Training;

namespace ScratchNet.Torch.Tests.CrossEngine;

/// <summary>
/// The scratch engine's hand-written backprop and optimizers against TorchSharp autograd, both in float64, from the same
/// weights on the same batch: loss, gradients and the weights after SGD and Adam steps agree to 1e-10 relative.
/// </summary>
public class GradientAgreementTests
{
    private const int Features = 20, Classes = 4, Hidden = 6, BatchSize = 5;
    private const double Tolerance = 1e-10;

    // inputs in [0, 1) with about a third exact zeros, as pixels are (the scratch layers skip zero inputs)
    private static readonly double[] X = SeededInputs(BatchSize * Features, seed: 11);
    private static readonly long[] Y = [3, 0, 2, 2, 1];

    /// <summary>Layers 0 = logistic regression; 1–3 hidden layers of an MLP.</summary>
    public static TheoryData<int, Activation> Networks => new()
    {
        { 0, Activation.Relu },
        { 1, Activation.Relu }, { 2, Activation.Relu }, { 3, Activation.Relu },
        { 1, Activation.Tanh }, { 2, Activation.Tanh }, { 3, Activation.Tanh },
    };

    public static TheoryData<int, Activation, OptimizerKind, double> Steps()
    {
        var data = new TheoryData<int, Activation, OptimizerKind, double>();
        foreach (var row in Networks)
        {
            foreach (var optimizer in new[] { OptimizerKind.Sgd, OptimizerKind.Adam })
            {
                foreach (double l2 in new[] { 0.0, 0.1 })
                    data.Add((int)row[0], (Activation)row[1], optimizer, l2);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Loss_and_gradients_of_a_batch_equal_autograd(int layers, Activation activation)
    {
        var options = Options(layers, activation, OptimizerKind.Sgd, l2: 0);
        var weights = InitialWeights(options);
        var model = ScratchModels.Create(options, Features, Classes);
        ScratchModels.Load(model, weights);

        double lossSum = 0;
        for (int n = 0; n < BatchSize; n++)
        {
            lossSum += model.Forward(X.AsSpan(n * Features, Features), (int)Y[n], dropout: null);
            model.Backward();
            model.AccumulateGradients();
        }
        var scratchGradients = ScratchModels.ToTorchLayout(model, gradients: true).Select(g => g.Select(v => v / BatchSize).ToArray()).ToList();
        var torch = TorchGradients.Compute(options, Features, Classes, weights, X, Y);

        Agreement.Equal(torch.Loss, lossSum / BatchSize, Tolerance, "mean loss");
        Agreement.Equal(torch.Gradients, scratchGradients, Tolerance, "gradient");
        Assert.Contains(torch.Gradients, g => g.Data.Any(v => v != 0)); // a gradient that is all zeros would agree trivially
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public void Weights_after_three_optimizer_steps_equal_torch(int layers, Activation activation, OptimizerKind optimizerKind, double l2)
    {
        var options = Options(layers, activation, optimizerKind, l2);
        var weights = InitialWeights(options);
        var model = ScratchModels.Create(options, Features, Classes);
        ScratchModels.Load(model, weights);
        var optimizer = new Optimizer<double>(optimizerKind, options.LearningRate, l2, model.Parameters);

        for (int step = 0; step < 3; step++)
        {
            for (int n = 0; n < BatchSize; n++)
            {
                model.Forward(X.AsSpan(n * Features, Features), (int)Y[n], dropout: null);
                model.Backward();
                model.AccumulateGradients();
            }
            optimizer.Step(BatchSize);
        }
        var torch = TorchGradients.Step(options, Features, Classes, weights, X, Y, steps: 3);

        Agreement.Equal(torch, ScratchModels.ToTorchLayout(model), Tolerance, $"{optimizerKind} (L2 {l2}) weights after 3 steps:");
        var moved = torch.Zip(weights).Max(pair => pair.First.Data.Zip(pair.Second).Max(v => Math.Abs(v.First - v.Second)));
        Assert.True(moved > 1e-4, $"the steps moved the weights by at most {moved}; the comparison would be vacuous");
    }

    internal static TrainingOptions Options(int layers, Activation activation, OptimizerKind optimizer, double l2) => TorchOptions.Mlp with
    {
        Model = layers == 0 ? ModelKind.LogisticRegression : ModelKind.Mlp,
        Layers = Math.Max(layers, 1), HiddenSize = Hidden, Activation = activation, Dropout = 0,
        Optimizer = optimizer, LearningRate = optimizer == OptimizerKind.Sgd ? 0.5 : 0.01, L2 = l2,
    };

    // U(−scale/2, scale/2) weights and biases in PyTorch's layout, seeded
    internal static List<double[]> InitialWeights(TrainingOptions options, int features = Features, int classes = Classes, double scale = 1)
    {
        var random = new Random(20261126);
        return TorchGradients.ParameterShapes(options, features, classes)
            .Select(p => Enumerable.Range(0, (int)p.Shape.Aggregate(1L, (a, b) => a * b)).Select(_ => (random.NextDouble() - 0.5) * scale).ToArray())
            .ToList();
    }

    private static double[] SeededInputs(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.NextDouble() is var u && u < 0.35 ? 0 : random.Next(1, 256) / 256.0).ToArray();
    }
}
