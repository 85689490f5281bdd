using static TorchSharp.torch;

namespace ScratchNet.Torch;

/// <summary>Loss and gradients of one batch, float64. Parameters are in named_parameters order.</summary>
/// <param name="Loss">Mean cross-entropy of the batch (without any L2 term).</param>
/// <param name="Gradients">d loss / d parameter, as autograd leaves it in .grad.</param>
/// <param name="OptimizerGradients">What SGD/Adam with weight_decay = L2 actually use: grad + L2 × parameter (biases included).</param>
public sealed record TorchGradientResult(double Loss, IReadOnlyList<NamedArray<double>> Gradients, IReadOnlyList<NamedArray<double>> OptimizerGradients);

/// <summary>
/// Reference gradients from TorchSharp autograd in float64, for cross-checking a hand-written engine: the same network
/// (options.Model, HiddenSize, Layers, Activation) is built in float64, loaded with the given weights, and run in eval mode
/// (dropout off). PyTorch applies L2 in the optimizer (weight_decay), not in the loss: <see cref="TorchGradientResult.OptimizerGradients"/>
/// adds that term. libtorch's global generator state is saved and restored, so calls leave no trace on a seeded run.
/// </summary>
public static class TorchGradients
{
    /// <summary>Names and shapes of the parameters of the network the options describe, in named_parameters order.</summary>
    public static IReadOnlyList<(string Name, long[] Shape)> ParameterShapes(TorchRunOptions options, int features, int classes) =>
        WithModel(options, features, classes, null, model => model.named_parameters().Select(p => (p.name, p.parameter.shape)).ToList());

    /// <summary>x: [N, features] row-major; y: N labels; parameters: one array per parameter in <see cref="ParameterShapes"/> order.</summary>
    public static TorchGradientResult Compute(TorchRunOptions options, int features, int classes, IReadOnlyList<double[]> parameters,
        double[] x, long[] y) =>
        WithModel(options, features, classes, parameters, model =>
        {
            using var scope = NewDisposeScope();
            model.eval();
            model.zero_grad();
            var loss = nn.functional.cross_entropy(model.forward(Batch(x, y, features)), tensor(y));
            loss.backward();
            var gradients = new List<NamedArray<double>>();
            var optimizerGradients = new List<NamedArray<double>>();
            foreach (var (name, parameter) in model.named_parameters())
            {
                var gradient = parameter.grad ?? throw new InvalidOperationException($"autograd left no gradient for {name}");
                gradients.Add(new NamedArray<double>(name, gradient.contiguous().data<double>().ToArray(), parameter.shape));
                var decayed = gradient.add(parameter.detach(), alpha: options.L2);
                optimizerGradients.Add(new NamedArray<double>(name, decayed.contiguous().data<double>().ToArray(), parameter.shape));
            }
            return new TorchGradientResult(loss.item<double>(), gradients, optimizerGradients);
        });

    /// <summary>
    /// Runs <paramref name="steps"/> optimizer steps (options.Optimizer, LearningRate, L2) on the same batch, in eval mode,
    /// starting from <paramref name="parameters"/>; returns the parameters after the last step.
    /// </summary>
    public static IReadOnlyList<NamedArray<double>> Step(TorchRunOptions options, int features, int classes, IReadOnlyList<double[]> parameters,
        double[] x, long[] y, int steps = 1) =>
        WithModel(options, features, classes, parameters, model =>
        {
            if (steps < 1)
                ThrowHelper.OutOfRange(nameof(steps), steps, "1 or more");
            using optim.Optimizer optimizer = options.Optimizer == TorchOptimizerKind.Sgd
                ? optim.SGD(model.parameters(), options.LearningRate, weight_decay: options.L2)
                : optim.Adam(model.parameters(), options.LearningRate, weight_decay: options.L2);
            model.eval();
            for (int step = 0; step < steps; step++)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                nn.functional.cross_entropy(model.forward(Batch(x, y, features)), tensor(y)).backward();
                optimizer.step();
            }
            using var exportScope = NewDisposeScope();
            return model.named_parameters()
                .Select(p => new NamedArray<double>(p.name, p.parameter.detach().contiguous().data<double>().ToArray(), p.parameter.shape))
                .ToList();
        });

    private static Tensor Batch(double[] x, long[] y, int features)
    {
        if (x.LongLength != (long)y.Length * features)
            ThrowHelper.LengthMismatch(nameof(x), x.LongLength, (long)y.Length * features, $"{y.Length} labels × {features} features");
        return tensor(x, [y.Length, features], ScalarType.Float64);
    }

    private static T WithModel<T>(TorchRunOptions options, int features, int classes, IReadOnlyList<double[]>? parameters,
        Func<nn.Module<Tensor, Tensor>, T> use)
    {
        lock (TorchEngine.GlobalStateLock)
        {
            TorchEngine.SetThreads(options.Threads);
            using var savedGeneratorState = random.get_rng_state();
            try
            {
                using var model = TorchModels.Create(options, features, classes, ScalarType.Float64);
                if (parameters != null)
                    Load(model, parameters);
                return use(model);
            }
            finally
            {
                random.set_rng_state(savedGeneratorState);
            }
        }
    }

    private static void Load(nn.Module model, IReadOnlyList<double[]> parameters)
    {
        var named = model.named_parameters().ToList();
        if (parameters.Count != named.Count)
            ThrowHelper.LengthMismatch(nameof(parameters), parameters.Count, named.Count, "one array per parameter: " + string.Join(", ", named.Select(p => p.name)));
        using var noGrad = no_grad();
        for (int i = 0; i < named.Count; i++)
        {
            var (name, parameter) = named[i];
            if (parameters[i].LongLength != parameter.numel())
                ThrowHelper.LengthMismatch($"parameters[{i}] ({name})", parameters[i].LongLength, parameter.numel(), $"shape [{string.Join(", ", parameter.shape)}]");
            using var values = tensor(parameters[i], parameter.shape, ScalarType.Float64);
            parameter.copy_(values);
        }
    }
}
