using ScratchNet.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ScratchNet.Torch.Tests;

public class ModelTests
{
    [Fact]
    public void Logistic_regression_is_one_linear_layer_classes_by_features()
    {
        using var model = new LogisticRegression(classes: 10, features: 784);

        Assert.Equal(["linear.weight:10x784", "linear.bias:10"], Shapes(model));
        using var logits = model.forward(zeros(3, 784));
        Assert.Equal([3L, 10L], logits.shape);
    }

    [Fact]
    public void Feedforward_network_is_linear_activation_dropout_per_layer_then_linear()
    {
        using var model = new FeedforwardNetwork(classes: 10, features: 784, hidden: 200, layers: 2, Activation.Tanh, dropout: 0.3);

        var children = model.named_modules().Where(m => m.name.StartsWith("layers.", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["layers.0:Linear", "layers.1:Tanh", "layers.2:Dropout", "layers.3:Linear", "layers.4:Tanh", "layers.5:Dropout", "layers.6:Linear"],
            children.Select(m => $"{m.name}:{m.module.GetType().Name}"));
        Assert.Equal(0.3, ((Dropout)children[2].module).p);
        Assert.Equal(
            ["layers.0.weight:200x784", "layers.0.bias:200", "layers.3.weight:200x200", "layers.3.bias:200", "layers.6.weight:10x200", "layers.6.bias:10"],
            Shapes(model));
    }

    [Fact]
    public void Relu_network_uses_relu()
    {
        using var model = new FeedforwardNetwork(3, 4, 5, 1, Activation.Relu, 0.0);
        Assert.Contains(model.named_modules(), m => m.module is ReLU);
        Assert.DoesNotContain(model.named_modules(), m => m.module is Tanh);
    }

    [Fact]
    public void Default_init_draws_weight_then_bias_layer_by_layer_from_the_global_generator()
    {
        manual_seed(42);
        using var model = new FeedforwardNetwork(classes: 3, features: 6, hidden: 4, layers: 2, Activation.Relu, 0.3);

        // PyTorch's Linear.reset_parameters: kaiming_uniform_(a=√5) is uniform(±1/√fan_in), then bias uniform(±1/√fan_in).
        manual_seed(42);
        var expected = new List<float[]>();
        foreach (var (rows, fanIn) in new[] { (4, 6), (4, 4), (3, 4) })
        {
            double bound = 1 / Math.Sqrt(fanIn);
            expected.Add(empty(rows, fanIn).uniform_(-bound, bound).data<float>().ToArray());
            expected.Add(empty(rows).uniform_(-bound, bound).data<float>().ToArray());
        }

        var actual = model.parameters().Select(p => p.detach().data<float>().ToArray()).ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            for (int j = 0; j < expected[i].Length; j++)
                Assert.Equal(expected[i][j], actual[i][j], 6);
        }
    }

    [Fact]
    public void Dropout_is_active_in_train_mode_and_off_in_eval_mode()
    {
        manual_seed(1);
        using var model = new FeedforwardNetwork(2, 50, 400, 1, Activation.Relu, 0.5);
        using var x = ones(1, 50);

        model.eval();
        using var first = model.forward(x);
        using var second = model.forward(x);
        Assert.Equal(first.data<float>().ToArray(), second.data<float>().ToArray());
        model.train();
        using var trained = model.forward(x);
        Assert.False(first.allclose(trained));
    }

    [Fact]
    public void Export_parameters_copies_names_shapes_and_values()
    {
        manual_seed(3);
        using var model = new LogisticRegression(3, 2);
        var exported = TorchModels.ExportParameters(model);

        Assert.Equal(["linear.weight", "linear.bias"], exported.Select(p => p.Name));
        Assert.Equal([3L, 2L], exported[0].Shape);
        var weight = model.parameters().First().detach();
        Assert.Equal(weight[2, 1].item<float>(), exported[0].Data[(2 * 2) + 1]);
    }

    private static List<string> Shapes(nn.Module model) =>
        model.named_parameters().Select(p => $"{p.name}:{string.Join("x", p.parameter.shape)}").ToList();
}
