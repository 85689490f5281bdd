using ScratchNet.Models;
using ScratchNet.Runs;
using static TorchSharp.torch;

namespace ScratchNet.Torch.Tests;

public class GradientTests
{
    private const int Features = 5;
    private const int Classes = 3;
    private static readonly double[] X = Enumerable.Range(0, 4 * Features).Select(i => Math.Sin(i * 1.7) * 1.5).ToArray();
    private static readonly long[] Y = [0, 2, 1, 2];

    [Theory]
    [InlineData(ModelKind.LogisticRegression, 1, Activation.Relu, 0.0)]
    [InlineData(ModelKind.LogisticRegression, 1, Activation.Relu, 0.1)]
    [InlineData(ModelKind.Mlp, 1, Activation.Relu, 0.0)]
    [InlineData(ModelKind.Mlp, 2, Activation.Tanh, 0.05)]
    [InlineData(ModelKind.Mlp, 3, Activation.Relu, 0.0)]
    [InlineData(ModelKind.Mlp, 3, Activation.Tanh, 0.0)]
    public void Autograd_gradients_match_central_differences_in_double(ModelKind model, int layers, Activation activation, double l2)
    {
        var options = TorchOptions.Mlp with { Model = model, Layers = layers, HiddenSize = 4, Activation = activation, L2 = l2, Dropout = 0.5 };
        var parameters = Weights(options);

        var result = TorchGradients.Compute(options, Features, Classes, parameters, X, Y);

        const double h = 1e-6;
        for (int p = 0; p < parameters.Count; p++)
        {
            for (int i = 0; i < parameters[p].Length; i++)
            {
                double saved = parameters[p][i];
                parameters[p][i] = saved + h;
                double plus = TorchGradients.Compute(options, Features, Classes, parameters, X, Y).Loss;
                parameters[p][i] = saved - h;
                double minus = TorchGradients.Compute(options, Features, Classes, parameters, X, Y).Loss;
                parameters[p][i] = saved;
                double numeric = (plus - minus) / (2 * h);
                double analytic = result.Gradients[p].Data[i];
                Assert.True(Math.Abs(numeric - analytic) <= 1e-7 + (1e-6 * Math.Abs(numeric)),
                    $"{result.Gradients[p].Name}[{i}]: autograd {analytic}, central difference {numeric}");
                Assert.Equal(analytic + (l2 * saved), result.OptimizerGradients[p].Data[i], 14);
            }
        }
    }

    [Fact]
    public void Logistic_regression_loss_and_gradient_equal_the_softmax_cross_entropy_formula()
    {
        var options = TorchOptions.Mlp with { Model = ModelKind.LogisticRegression };
        var parameters = Weights(options);
        double[] w = parameters[0], b = parameters[1];

        var result = TorchGradients.Compute(options, Features, Classes, parameters, X, Y);

        // loss = mean_n [log Σ_k exp(z_nk) − z_n,y_n], z = x Wᵀ + b; dW = mean_n (softmax(z_n) − onehot(y_n)) x_nᵀ
        int n = Y.Length;
        double loss = 0;
        var dW = new double[Classes * Features];
        for (int row = 0; row < n; row++)
        {
            var z = new double[Classes];
            for (int k = 0; k < Classes; k++)
            {
                z[k] = b[k];
                for (int j = 0; j < Features; j++)
                    z[k] += w[(k * Features) + j] * X[(row * Features) + j];
            }
            double max = z.Max();
            double sum = z.Sum(v => Math.Exp(v - max));
            loss += (max + Math.Log(sum) - z[Y[row]]) / n;
            for (int k = 0; k < Classes; k++)
            {
                double delta = (Math.Exp(z[k] - max) / sum) - (k == Y[row] ? 1 : 0);
                for (int j = 0; j < Features; j++)
                    dW[(k * Features) + j] += delta * X[(row * Features) + j] / n;
            }
        }

        Assert.Equal(loss, result.Loss, 12);
        for (int i = 0; i < dW.Length; i++)
            Assert.Equal(dW[i], result.Gradients[0].Data[i], 12);
    }

    [Fact]
    public void Sgd_step_subtracts_learning_rate_times_gradient_plus_weight_decay()
    {
        var options = TorchOptions.Mlp with { Layers = 2, HiddenSize = 4, Activation = Activation.Tanh, L2 = 0.01, LearningRate = 0.1 };
        var parameters = Weights(options);
        var gradients = TorchGradients.Compute(options, Features, Classes, parameters, X, Y).OptimizerGradients;

        var stepped = TorchGradients.Step(options, Features, Classes, parameters, X, Y);

        for (int p = 0; p < parameters.Count; p++)
        {
            for (int i = 0; i < parameters[p].Length; i++)
                Assert.Equal(parameters[p][i] - (0.1 * gradients[p].Data[i]), stepped[p].Data[i], 14);
        }
    }

    [Fact]
    public void First_adam_step_moves_each_parameter_by_learning_rate_against_its_gradient_sign()
    {
        var options = TorchOptions.Mlp with { Optimizer = OptimizerKind.Adam, HiddenSize = 4, L2 = 0.01, LearningRate = 0.001 };
        var parameters = Weights(options);
        var gradients = TorchGradients.Compute(options, Features, Classes, parameters, X, Y).OptimizerGradients;

        var stepped = TorchGradients.Step(options, Features, Classes, parameters, X, Y);

        // Step 1: m̂ = g, v̂ = g², so Δ = −lr · g / (|g| + ε).
        for (int p = 0; p < parameters.Count; p++)
        {
            for (int i = 0; i < parameters[p].Length; i++)
            {
                double g = gradients[p].Data[i];
                Assert.Equal(parameters[p][i] - (0.001 * g / (Math.Abs(g) + 1e-8)), stepped[p].Data[i], 12);
            }
        }
    }

    [Fact]
    public void Computing_gradients_leaves_the_global_generator_untouched()
    {
        manual_seed(5);
        long undisturbed = DataLoaderShuffle.DrawSeedFromGlobalGenerator();
        manual_seed(5);
        TorchGradients.Compute(TorchOptions.Mlp, Features, Classes, Weights(TorchOptions.Mlp with { HiddenSize = 200 }), X, Y);

        Assert.Equal(undisturbed, DataLoaderShuffle.DrawSeedFromGlobalGenerator());
    }

    [Fact]
    public void Wrong_parameter_count_or_size_is_rejected()
    {
        var options = TorchOptions.Mlp with { Model = ModelKind.LogisticRegression };
        Assert.Contains("linear.weight, linear.bias", Assert.Throws<ArgumentException>(() =>
            TorchGradients.Compute(options, Features, Classes, [new double[15]], X, Y)).Message, StringComparison.Ordinal);
        Assert.Contains("shape [3, 5]", Assert.Throws<ArgumentException>(() =>
            TorchGradients.Compute(options, Features, Classes, [new double[14], new double[3]], X, Y)).Message, StringComparison.Ordinal);
    }

    /// <summary>Deterministic, well-scaled weights in ParameterShapes order.</summary>
    private static List<double[]> Weights(TrainingOptions options) =>
        TorchGradients.ParameterShapes(options, Features, Classes)
            .Select((p, index) => Enumerable.Range(0, (int)p.Shape.Aggregate(1L, (a, b) => a * b))
                .Select(i => 0.6 * Math.Cos((i * 0.37) + index)).ToArray())
            .ToList();
}
