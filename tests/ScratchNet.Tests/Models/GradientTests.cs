using ScratchNet.Models;
using ScratchNet.Randomness;

namespace ScratchNet.Tests.Models;

/// <summary>Every model's Backward against central finite differences, on small random problems.</summary>
public class GradientTests
{
    private static double[] Input(int length, uint seed)
    {
        var random = new NumpyRandomState(seed);
        var x = new double[length];
        random.Normal(0, 1, x);
        x[1] = 0; // a zero input exercises the skipped rows
        return x;
    }

    [Fact]
    public void Linear_regression()
    {
        var model = Randomized(new LinearRegression<double>(7));
        var x = Input(7, 1);
        ModelGradientCheck.Assert(model, () => model.Forward(x, 0.3));
    }

    [Fact]
    public void Neural_regressor_relu_two_hidden_layers()
    {
        var model = new NeuralRegressor<double>(6, [5, 4]);
        model.Initialize(InitKind.Torch, new NumpyRandomState(3));
        var x = Input(6, 2);
        ModelGradientCheck.Assert(model, () => model.Forward(x, 1.5));
    }

    [Fact]
    public void Logistic_regression()
    {
        var model = Randomized(new LogisticRegression<double>(8, 4));
        var x = Input(8, 4);
        ModelGradientCheck.Assert(model, () => model.Forward(x, 2, null));
    }

    [Fact]
    public void Perceptron_criterion_on_a_mistake()
    {
        var model = Randomized(new Perceptron<double>(8, 4));
        var x = Input(8, 5);
        var wrong = (model.Predict(x) + 1) % 4;
        ModelGradientCheck.Assert(model, () => model.Forward(x, wrong, null));
    }

    [Theory]
    [InlineData(Activation.Relu, 1)]
    [InlineData(Activation.Tanh, 1)]
    [InlineData(Activation.Relu, 3)]
    [InlineData(Activation.Tanh, 2)]
    public void Mlp(Activation activation, int layers)
    {
        var model = new Mlp<double>(9, Enumerable.Repeat(6, layers).ToArray(), 4, activation);
        model.Initialize(InitKind.Torch, new NumpyRandomState(7));
        var x = Input(9, 8);
        ModelGradientCheck.Assert(model, () => model.Forward(x, 3, null));
    }

    [Fact]
    public void Mlp_with_dropout_uses_the_same_mask_in_backward()
    {
        var model = new Mlp<double>(9, [12], 4, Activation.Relu, dropout: 0.5);
        model.Initialize(InitKind.Torch, new NumpyRandomState(7));
        var x = Input(9, 8);
        // The same seeded stream each call: every evaluation of the loss drops the same units.
        ModelGradientCheck.Assert(model, () => model.Forward(x, 1, new NumpyRandomState(11)));
    }

    private static TModel Randomized<TModel>(TModel model) where TModel : IModel<double>
    {
        var random = new NumpyRandomState(9);
        foreach (var parameter in model.Parameters)
            random.Normal(0, 0.5, parameter.Value);
        return model;
    }
}
