using ScratchNet.Runs;
using static TorchSharp.torch;

namespace ScratchNet.Torch.Tests;

/// <summary>Loss and gradients of one batch, float64. Parameters are in named_parameters order.</summary>
/// <param name="Loss">Mean cross-entropy of the batch (without any L2 term).</param>
/// <param name="Gradients">d loss / d parameter, as autograd leaves it in .grad.</param>
/// <param name="OptimizerGradients">What SGD/Adam with weight_decay = L2 actually use: grad + L2 × parameter (biases included).</param>
internal sealed record TorchGradientResult(double Loss, IReadOnlyList<NamedArray<double>> Gradients, IReadOnlyList<NamedArray<double>> OptimizerGradients);

/// <summary>
/// Reference gradients from TorchSharp autograd in float64, for cross-checking a hand-written engine: the same network
/// (options.Model, HiddenSize, Layers, Activation) is built in float64, loaded with the given weights, and run in eval mode
/// (dropout off). PyTorch applies L2 in the optimizer (weight_decay), not in the loss: <see cref="TorchGradientResult.OptimizerGradients"/>
/// adds that term. libtorch's global generator state is saved and restored, so calls leave no trace on a seeded run.
/// </summary>
internal static class TorchGradients
{
    /// <summary>Names and shapes of the parameters of the network the options describe, in named_parameters order.</summary>
    public static IReadOnlyList<(string Name, long[] Shape)> ParameterShapes(TrainingOptions options, int features, int classes) =>
        WithModel(options, features, classes, null, model => model.named_parameters().Select(p => (p.name, p.parameter.shape)).ToList());

    /// <summary>x: [N, features] row-major; y: N labels; parameters: one array per parameter in <see cref="ParameterShapes"/> order.</summary>
    public static TorchGradientResult Compute(TrainingOptions options, int features, int classes, IReadOnlyList<double[]> parameters,
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
    public static IReadOnlyList<NamedArray<double>> Step(TrainingOptions options, int features, int classes, IReadOnlyList<double[]> parameters,
        double[] x, long[] y, int steps = 1) =>
        WithModel(options, features, classes, parameters, model =>
        {
            if (steps < 1)
                ThrowHelper.OutOfRange(nameof(steps), steps, "1 or more");
            using var optimizer = TorchModels.CreateOptimizer(options, model);
            using var batchX = Batch(x, y, features);
            using var batchY = tensor(y);
            model.eval();
            for (int step = 0; step < steps; step++)
                StepOnce(model, optimizer, batchX, batchY);
            return Export(model);
        });

    /// <summary>
    /// One epoch as the trainer runs it but in float64, eval mode (dropout off) and in the caller's order: batches of
    /// options.BatchSize consecutive entries of <paramref name="order"/> (the last may be short), one optimizer step each,
    /// starting from <paramref name="parameters"/>. Returns the parameters after the epoch.
    /// </summary>
    public static IReadOnlyList<NamedArray<double>> Epoch(TrainingOptions options, int features, int classes, IReadOnlyList<double[]> parameters,
        double[] x, long[] y, int[] order) =>
        WithModel(options, features, classes, parameters, model =>
        {
            foreach (int index in order)
            {
                if (index < 0 || index >= y.Length)
                    ThrowHelper.OutOfRange(nameof(order), index, $"indices 0..{y.Length - 1}");
            }
            using var optimizer = TorchModels.CreateOptimizer(options, model);
            using var allX = Batch(x, y, features);
            using var allY = tensor(y);
            using var orderTensor = tensor(order.Select(i => (long)i).ToArray());
            model.eval();
            for (int start = 0; start < order.Length; start += options.BatchSize)
            {
                using var scope = NewDisposeScope();
                var batch = orderTensor.narrow(0, start, Math.Min(options.BatchSize, order.Length - start));
                StepOnce(model, optimizer, allX.index_select(0, batch), allY.index_select(0, batch));
            }
            return Export(model);
        });


    private static void StepOnce(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        nn.functional.cross_entropy(model.forward(x), y).backward();
        optimizer.step();
    }

    private static List<NamedArray<double>> Export(nn.Module model)
    {
        using var scope = NewDisposeScope();
        return model.named_parameters()
            .Select(p => new NamedArray<double>(p.name, p.parameter.detach().contiguous().data<double>().ToArray(), p.parameter.shape))
            .ToList();
    }

    private static Tensor Batch(double[] x, long[] y, int features)
    {
        if (x.LongLength != (long)y.Length * features)
            ThrowHelper.LengthMismatch(nameof(x), x.LongLength, (long)y.Length * features, $"{y.Length} labels × {features} features");
        return tensor(x, [y.Length, features], ScalarType.Float64);
    }

    private static T WithModel<T>(TrainingOptions options, int features, int classes, IReadOnlyList<double[]>? parameters,
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
