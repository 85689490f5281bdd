using System.Numerics;
using ScratchNet.Data;
using ScratchNet.Models;
using ScratchNet.Randomness;
using ScratchNet.Runs;
using ScratchNet.Training;
using ScratchNet.Training.Fast;

namespace ScratchNet.Tests.Training.Fast;

/// <summary>
/// The mini-batch MLP step (whole batch through GEMM / compressed rows) against its twin, the per-example
/// Forward → Backward → AccumulateGradients loop, with the same optimizer step after each batch: the same losses and
/// weights up to summation order, over ReLU/tanh, one and two hidden layers, dropout, SGD/L2/Adam and a last partial
/// batch; and bit-identical results for 1 and 2 threads.
/// </summary>
public class BatchedMlpStepTests
{
    public sealed record Case(string Name, int[] Hidden, Activation Activation, double Dropout, OptimizerKind Optimizer, double L2)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case, FirstLayerKernel> Cases()
    {
        Case[] cases =
        [
            new("relu, 1 layer, sgd", [7], Activation.Relu, 0, OptimizerKind.Sgd, 0),
            new("tanh, 2 layers, sgd + l2", [9, 5], Activation.Tanh, 0, OptimizerKind.Sgd, 0.01),
            new("relu, 2 layers, dropout, adam", [8, 6], Activation.Relu, 0.3, OptimizerKind.Adam, 0),
            new("tanh, 1 layer, dropout, adam + l2", [10], Activation.Tanh, 0.5, OptimizerKind.Adam, 0.001),
        ];
        var data = new TheoryData<Case, FirstLayerKernel>();
        foreach (var c in cases)
            foreach (var kernel in Enum.GetValues<FirstLayerKernel>())
                data.Add(c, kernel);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Batches_match_the_per_example_accumulation_in_float64(Case c, FirstLayerKernel kernel)
    {
        var images = Synthetic.Images(29, seed: 3); // batches of 8: 8, 8, 8 and a last partial batch of 5
        var (batched, batchedOptimizer) = Build(c, images.Features);
        var (perExample, perExampleOptimizer) = Build(c, images.Features);
        var step = new BatchedMlpStep<double>(batched, maxBatch: 8, firstLayer: kernel);
        NumpyRandomState? batchedMasks = c.Dropout > 0 ? new(77) : null, perExampleMasks = c.Dropout > 0 ? new(77) : null;
        var order = new NumpyRandomState(5).Permutation(images.Count);
        for (var epoch = 0; epoch < 2; epoch++)
        {
            for (var start = 0; start < images.Count; start += 8)
            {
                var indices = order.AsSpan(start, Math.Min(8, images.Count - start));
                var expectedLoss = PerExample(perExample, images, indices, perExampleMasks);
                var loss = step.Accumulate(images, indices, batchedMasks);
                Assert.Equal(expectedLoss, loss, 1e-12 * expectedLoss);
                perExampleOptimizer.Step(indices.Length);
                batchedOptimizer.Step(indices.Length);
            }
        }
        AssertClose(perExample.Parameters, batched.Parameters, 1e-12);
    }

    [Theory]
    [InlineData(FirstLayerKernel.NonZero)]
    [InlineData(FirstLayerKernel.Gemm)]
    public void Two_threads_give_the_one_thread_weights_bit_for_bit(FirstLayerKernel kernel)
    {
        // 784 inputs, 256 examples and 128 hidden units, so the first layer's kernels really split across two threads
        // (the non-zero kernel forks from BatchedMlpStep.NonZeroMinMultiplyAddsToFork multiply-adds, asserted below)
        var images = Synthetic.Images(512, seed: 9, side: 28);
        var c = new Case("relu, 2 layers, dropout, adam", [128, 32], Activation.Relu, 0.2, OptimizerKind.Adam, 0.001);
        var nonZero = Enumerable.Range(0, 256).Sum(i => images.Pixels(i).Length - images.Pixels(i).Count((byte)0));
        Assert.True((long)nonZero * 128 >= BatchedMlpStep<float>.NonZeroMinMultiplyAddsToFork, $"{nonZero} non-zero pixels: too few to fork");
        var results = new List<IReadOnlyList<Parameter<float>>>();
        foreach (var threads in new[] { 1, 2 })
        {
            var (model, optimizer) = Build<float>(c, images.Features);
            var step = new BatchedMlpStep<float>(model, maxBatch: 256, maxThreads: threads, firstLayer: kernel, forkSteps: true);
            var masks = new NumpyRandomState(1);
            var order = new NumpyRandomState(2).Permutation(images.Count);
            for (var start = 0; start < images.Count; start += 256)
            {
                step.Accumulate(images, order.AsSpan(start, 256), masks);
                optimizer.Step(256);
            }
            results.Add(model.Parameters);
        }
        for (var p = 0; p < results[0].Count; p++)
            Assert.Equal(results[0][p].Value, results[1][p].Value);
    }

    [Theory]
    [InlineData(FirstLayerKernel.NonZero)]
    [InlineData(FirstLayerKernel.Gemm)]
    public void Two_threads_that_time_whether_to_fork_give_the_one_thread_weights_bit_for_bit(FirstLayerKernel kernel)
    {
        // batches of 8, past the probe (ForkProbe: one-thread warm-up, then blocks of each way), with 64 hidden units
        // so that the non-zero kernel can split; whichever way each step and the decision go, the weights are the
        // one-thread run's
        var images = Synthetic.Images(400, seed: 11, side: 28);
        var c = new Case("relu, 1 layer, dropout, sgd", [64], Activation.Relu, 0.3, OptimizerKind.Sgd, 0);
        var steps = ForkProbe.WarmUpSteps + 2 * ForkProbe.BlocksPerWay * ForkProbe.BlockSteps + 20;
        var nonZero = Enumerable.Range(0, 8).Sum(i => images.Pixels(i).Length - images.Pixels(i).Count((byte)0));
        Assert.True((long)nonZero * 64 >= BatchedMlpStep<float>.NonZeroMinMultiplyAddsToFork, $"{nonZero} non-zero pixels: too few to fork");
        var results = new List<IReadOnlyList<Parameter<float>>>();
        foreach (var threads in new[] { 1, 2 })
        {
            var (model, optimizer) = Build<float>(c, images.Features);
            var step = new BatchedMlpStep<float>(model, maxBatch: 8, maxThreads: threads, firstLayer: kernel);
            var masks = new NumpyRandomState(1);
            var order = new NumpyRandomState(2).Permutation(images.Count);
            for (var s = 0; s < steps; s++)
            {
                step.Accumulate(images, order.AsSpan(s * 8 % images.Count, 8), masks);
                optimizer.Step(8);
            }
            results.Add(model.Parameters);
        }
        for (var p = 0; p < results[0].Count; p++)
            Assert.Equal(results[0][p].Value, results[1][p].Value);
    }

    [Fact]
    public void A_batch_after_the_first_allocates_no_buffers()
    {
        // 64 × 784 inputs: any per-batch buffer would be hundreds of KB. The step's own code allocates nothing; the
        // GEMM it calls may allocate a closure or pool bookkeeping (about 1 KB), hence the small allowance.
        var images = Synthetic.Images(128, seed: 4, side: 28);
        var (model, _) = Build<double>(new Case("relu dropout", [40, 20], Activation.Relu, 0.25, OptimizerKind.Sgd, 0), images.Features);
        var masks = new NumpyRandomState(3);
        int[] first = [.. Enumerable.Range(0, 64)], second = [.. Enumerable.Range(64, 64)];
        foreach (var kernel in Enum.GetValues<FirstLayerKernel>())
        {
            var step = new BatchedMlpStep<double>(model, maxBatch: 64, firstLayer: kernel);
            step.Accumulate(images, first, masks);
            var before = GC.GetAllocatedBytesForCurrentThread();
            step.Accumulate(images, second, masks);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 8 * 1024, $"{kernel}: the second batch allocated {allocated} bytes");
        }
    }

    [Fact]
    public void A_batch_larger_than_the_buffers_grows_them_once()
    {
        var images = Synthetic.Images(20, seed: 6);
        var (model, _) = Build<double>(new Case("relu", [5], Activation.Relu, 0, OptimizerKind.Sgd, 0), images.Features);
        var step = new BatchedMlpStep<double>(model, maxBatch: 4);
        var loss = step.Accumulate(images, [.. Enumerable.Range(0, 20)], dropout: null);
        Assert.Equal(20, step.Capacity);
        Assert.True(double.IsFinite(loss) && loss > 0);
    }

    [Fact]
    public void The_learner_trains_mlp_batches_as_the_per_example_twin_with_its_dropout_stream()
    {
        var images = Synthetic.Images(40, seed: 8);
        var c = new Case("tanh dropout adam", [9], Activation.Tanh, 0.4, OptimizerKind.Adam, 0.01);
        var (model, optimizer) = Build(c, images.Features);
        var (twin, twinOptimizer) = Build(c, images.Features);
        var learner = new ClassifierLearner<double>(model, optimizer, images, images, images, evaluateTrain: false, dropoutSeed: 42, threads: 2);
        learner.BeginEpoch(3);
        var masks = new NumpyRandomState(unchecked(42u * 1_000_003u + 3u)); // the learner's documented per-epoch seed
        for (var start = 0; start < 40; start += 16)
        {
            int[] indices = [.. Enumerable.Range(start, Math.Min(16, 40 - start)).Select(i => 39 - i)];
            var expected = PerExample(twin, images, indices, masks);
            twinOptimizer.Step(indices.Length);
            Assert.Equal(expected, learner.TrainBatch(indices), 1e-12 * expected);
        }
        AssertClose(twin.Parameters, model.Parameters, 1e-12);
    }

    [Fact]
    public void The_learner_trains_mlp_batches_on_libtorchs_stream_as_the_per_example_twin()
    {
        // one hidden layer: libtorch's batch-wide mask [n, out] is drawn in the per-example twin's order
        var images = Synthetic.Images(40, seed: 9);
        var c = new Case("relu dropout sgd", [11], Activation.Relu, 0.3, OptimizerKind.Sgd, 0.05);
        var (model, optimizer) = Build(c, images.Features);
        var (twin, twinOptimizer) = Build(c, images.Features);
        var generator = new TorchGenerator(5);
        var learner = new ClassifierLearner<double>(model, optimizer, images, images, images, evaluateTrain: false, dropoutSeed: 42, threads: 2, sharedDropout: generator);
        learner.BeginEpoch(1);
        var masks = new TorchGenerator(5);
        for (var start = 0; start < 40; start += 16)
        {
            int[] indices = [.. Enumerable.Range(start, Math.Min(16, 40 - start)).Select(i => 39 - i)];
            var expected = PerExample(twin, images, indices, masks);
            twinOptimizer.Step(indices.Length);
            Assert.Equal(expected, learner.TrainBatch(indices), 1e-12 * expected);
        }
        AssertClose(twin.Parameters, model.Parameters, 1e-12);
        Assert.Equal(masks.Random64(), generator.Random64());
    }

    [Fact]
    public void Threads_from_the_options_do_not_change_a_training_run()
    {
        var images = Synthetic.Images(300, seed: 12, side: 28);
        var weights = new List<IReadOnlyList<ScratchNet.IO.SafeTensor>>();
        foreach (var threads in new[] { 1, 2 })
        {
            var options = new TrainingOptions
            {
                Model = ModelKind.Mlp, Epochs = 1, BatchSize = 64, HiddenSize = 48, Init = InitKind.Torch, Dropout = 0.1,
                Optimizer = OptimizerKind.Adam, Precision = Precision.Float32, Threads = threads,
            };
            var (learner, stream) = LearnerFactory.ForClassification(options, images, images.Take(10), images.Take(10));
            var outcome = Trainer.Run(learner, stream, 1, options.BatchSize, [], NullObserver.Instance, CancellationToken.None);
            Assert.Equal(RunStatus.Completed, outcome.Status);
            weights.Add(((IClassifierLearner)learner).Weights());
        }
        Assert.Equal(weights[0].Select(t => t.Data.ToArray()), weights[1].Select(t => t.Data.ToArray()));
    }

    // the twin: one example at a time through the model's own passes, gradients summed by AccumulateGradients
    private static double PerExample<T>(Mlp<T> model, LabeledImages images, ReadOnlySpan<int> indices, IDropoutMasks? dropout)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var input = new T[images.Features];
        var loss = 0.0;
        foreach (var index in indices)
        {
            var pixels = images.Pixels(index);
            for (var j = 0; j < input.Length; j++)
                input[j] = T.CreateTruncating(pixels[j]) * T.CreateChecked(LabeledImages.PixelScale);
            loss += double.CreateChecked(model.Forward(input, images.Label(index), dropout));
            model.Backward();
            model.AccumulateGradients();
        }
        return loss;
    }

    private static (Mlp<T> Model, Optimizer<T> Optimizer) Build<T>(Case c, int features) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = new Mlp<T>(features, c.Hidden, classes: 4, c.Activation, c.Dropout);
        model.Initialize(InitKind.Torch, new NumpyRandomState(42));
        return (model, new Optimizer<T>(c.Optimizer, 0.05, c.L2, model.Parameters));
    }

    private static (Mlp<double> Model, Optimizer<double> Optimizer) Build(Case c, int features) => Build<double>(c, features);

    private static void AssertClose(IReadOnlyList<Parameter<double>> expected, IReadOnlyList<Parameter<double>> actual, double relative)
    {
        for (var p = 0; p < expected.Count; p++)
        {
            var scale = expected[p].Value.Max(Math.Abs);
            for (var i = 0; i < expected[p].Value.Length; i++)
            {
                var error = Math.Abs(actual[p].Value[i] - expected[p].Value[i]);
                if (!(error <= relative * scale))
                    Assert.Fail($"{expected[p].Name}[{i}] is {actual[p].Value[i]}, expected {expected[p].Value[i]} (error {error:E2}, allowed {relative * scale:E2}).");
            }
        }
    }

    private sealed class NullObserver : ITrainingObserver
    {
        public static readonly NullObserver Instance = new();

        public void OnProgress(int epoch, int examplesDone, int examplesTotal)
        {
        }

        public void OnEpoch(EpochMetrics epoch)
        {
        }
    }
}
