using ScratchNet.Runs;
using static TorchSharp.torch;

namespace ScratchNet.Torch;

public static class TorchModels
{
    /// <summary>
    /// Builds the model the options name (logistic regression or the MLP; the options' engine-independent settings
    /// only); draws its initial weights from libtorch's global generator.
    /// </summary>
    public static nn.Module<Tensor, Tensor> Create(TrainingOptions options, int features, int classes, ScalarType dtype = ScalarType.Float32) =>
        options.Model switch
        {
            ModelKind.LogisticRegression => new LogisticRegression(classes, features, dtype),
            ModelKind.Mlp => new FeedforwardNetwork(classes, features, options.HiddenSize, options.Layers, options.Activation, options.Dropout, dtype),
            _ => throw new ArgumentException($"The torch engine has no {options.Model} model (logistic regression and the MLP only).", nameof(options)),
        };

    /// <summary>The course's optimizer: SGD (no momentum) or Adam (β 0.9/0.999, ε 1e-8), both with weight_decay = L2.</summary>
    public static optim.Optimizer CreateOptimizer(TrainingOptions options, nn.Module model) =>
        options.Optimizer == OptimizerKind.Sgd
            ? optim.SGD(model.parameters(), options.LearningRate, weight_decay: options.L2)
            : optim.Adam(model.parameters(), options.LearningRate, weight_decay: options.L2);

    /// <summary>Copies every parameter out as (name, row-major data, shape), in named_parameters order.</summary>
    public static List<NamedArray<float>> ExportParameters(nn.Module module)
    {
        using var scope = NewDisposeScope();
        var exported = new List<NamedArray<float>>();
        foreach (var (name, parameter) in module.named_parameters())
        {
            var values = parameter.detach().to(ScalarType.Float32).contiguous();
            exported.Add(new NamedArray<float>(name, values.data<float>().ToArray(), parameter.shape));
        }
        return exported;
    }
}
