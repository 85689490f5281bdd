using System.Numerics;
using ScratchNet.Data;
using ScratchNet.Models;
using ScratchNet.Randomness;
using ScratchNet.Runs;
using ScratchNet.Training;
using ScratchNet.Training.Fast;

namespace ScratchNet.Tests.Training.Fast;

/// <summary>
/// Per-example Adam with W1's zero-gradient steps replayed lazily (<see cref="PerExampleMlpAdam{T}"/>) against the
/// dense path (<see cref="Mlp{T}"/>'s Forward, Backward, AccumulateGradients, then <see cref="Optimizer{T}.Step"/> on
/// every parameter): the same losses at every step and bit-identical weights and moments, for each precision, with
/// and without L2 and dropout, on narrow and wide first layers (every vector loop of the replay: 5 vectors, single
/// vectors, scalars), on images where some pixels stay 0 for many steps and some images are blank.
/// </summary>
public sealed class PerExampleMlpAdamTests
{
    private const int Steps = 300;
    private const double LearningRate = 0.01;

    public static TheoryData<Activation, int[], double, double> Networks() => new()
    {
        { Activation.Relu, [16], 0, 0 },
        { Activation.Tanh, [13], 0, 1e-3 },
        { Activation.Relu, [12, 9], 0.3, 0 },
        { Activation.Relu, [200], 0.3, 0 },
        { Activation.Relu, [200], 0, 1e-3 },
        { Activation.Tanh, [72, 9], 0.25, 1e-3 },
        // 203 wide: blocks of three vectors, a single vector (two in float64) and a scalar tail
        { Activation.Relu, [203], 0, 0 },
        { Activation.Relu, [203], 0.3, 1e-3 },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Lazy_steps_give_the_dense_losses_weights_and_moments_bit_for_bit(Activation activation, int[] hidden, double dropout, double l2)
    {
        AssertLazyEqualsDense<float>(activation, hidden, dropout, l2);
        AssertLazyEqualsDense<double>(activation, hidden, dropout, l2);
    }

    // W1 and its moments split by columns over two threads (layers of 64 units or more): the same bits as one thread's,
    // which the dense path binds; 200 wide splits into two whole-vector blocks, 203 leaves the right one a scalar tail
    [Theory]
    [InlineData(Activation.Relu, new[] { 200 }, 0.3, 0.0, 0L)]
    [InlineData(Activation.Tanh, new[] { 72, 9 }, 0.25, 1e-3, 0L)]
    [InlineData(Activation.Relu, new[] { 203 }, 0.3, 1e-3, 0L)]
    [InlineData(Activation.Relu, new[] { 203 }, 0.3, 0.0, 17_000L)]
    public void Two_thread_lazy_steps_give_the_dense_losses_weights_and_moments_bit_for_bit(Activation activation, int[] hidden,
        double dropout, double l2, long startStep)
    {
        AssertLazyEqualsDense<float>(activation, hidden, dropout, l2, startStep, threads: 2);
        AssertLazyEqualsDense<double>(activation, hidden, dropout, l2, startStep, threads: 2);
    }

    // late in training, where √(1 − β2ᵗ) is exactly 1 (float32 from about step 16,600, float64 from about 36,700) and
    // both the real step and the replay leave that division out; 16,450 crosses float32's change within the run
    [Theory]
    [InlineData(0.0)]
    [InlineData(1e-3)]
    public void Lazy_steps_late_in_training_give_the_dense_losses_weights_and_moments_bit_for_bit(double l2)
    {
        AssertLazyEqualsDense<float>(Activation.Relu, [203], 0.3, l2, startStep: 17_000);
        AssertLazyEqualsDense<float>(Activation.Relu, [40], 0, l2, startStep: 16_450);
        AssertLazyEqualsDense<double>(Activation.Relu, [203], 0.3, l2, startStep: 40_000);
    }

    // Units that die at step 200 (a ReLU held off by a bias set to −100) get a zero gradient from then on, so their
    // moments decay by β1 and β2 until m·s is far below w's last bit, then subnormal: the real steps and the replays, with
    // tiny and subnormal operands, must give the dense optimizer's bits there too. With λ = 0 a dead unit's m falls
    // below 1e-15 about 300 steps after it dies and is subnormal in float32 from about 800 to 950 steps after (then 0),
    // so the runs stop at 1,100 steps; with λ ≠ 0 its gradient is λw and its moments follow w instead.
    [Theory]
    [InlineData(0.0)]
    [InlineData(1e-3)]
    public void Lazy_steps_with_dead_units_give_the_dense_weights_and_moments_bit_for_bit(double l2)
    {
        AssertLazyEqualsDense<float>(Activation.Relu, [40], 0, l2, steps: 1_100, deadUnits: 20);
        AssertLazyEqualsDense<float>(Activation.Relu, [203], 0.3, l2, startStep: 17_000, steps: 1_100, deadUnits: 90);
        AssertLazyEqualsDense<float>(Activation.Relu, [203], 0.3, l2, startStep: 17_000, steps: 1_100, deadUnits: 90, threads: 2);
        AssertLazyEqualsDense<double>(Activation.Relu, [40], 0, l2, steps: 1_100, deadUnits: 20);
    }

    private static void AssertLazyEqualsDense<T>(Activation activation, int[] hidden, double dropout, double l2, long startStep = 0,
        int steps = Steps, int deadUnits = 0, int threads = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var images = Images();
        var (dense, lazy) = (NewMlp<T>(images, activation, hidden, dropout), NewMlp<T>(images, activation, hidden, dropout));
        var denseOptimizer = new Optimizer<T>(OptimizerKind.Adam, LearningRate, l2, dense.Parameters);
        var lazyOptimizer = new Optimizer<T>(OptimizerKind.Adam, LearningRate, l2, lazy.Parameters);
        denseOptimizer.RestoreSteps(startStep);
        lazyOptimizer.RestoreSteps(startStep);
        using var adam = new PerExampleMlpAdam<T>(lazy, lazyOptimizer, T.CreateChecked(LabeledImages.PixelScale), threads);
        Assert.Equal(threads >= 2 && hidden[0] >= 64, adam.IsSplit);
        var (denseMasks, lazyMasks) = (new NumpyRandomState(7), new NumpyRandomState(7));
        var input = new T[images.Features];
        for (var step = 0; step < steps; step++)
        {
            if (step == 200)
            {
                foreach (var model in new[] { dense, lazy })
                    model.Network.Layers[0].Bias.Value.AsSpan(0, deadUnits).Fill(T.CreateChecked(-100));
            }
            var index = step % images.Count;
            for (var j = 0; j < input.Length; j++)
                input[j] = T.CreateTruncating(images.Pixels(index)[j]) * T.CreateChecked(LabeledImages.PixelScale);
            var expectedLoss = dense.Forward(input, images.Label(index), dropout > 0 ? denseMasks : null);
            dense.Backward();
            dense.AccumulateGradients();
            denseOptimizer.Step(1);

            var loss = adam.Step(images.Pixels(index), images.Label(index), dropout > 0 ? lazyMasks : null);
            Assert.True(expectedLoss == loss, $"{typeof(T).Name} step {step}: loss {loss} vs dense {expectedLoss}");
            if (step == 137) // a read between steps: flushed, then training goes on from the flushed state
            {
                adam.ApplyPendingUpdate();
                AssertSameState(dense, denseOptimizer, lazy, lazyOptimizer, $"{typeof(T).Name} after step {step}");
            }
        }
        Assert.True(adam.HasPendingUpdate);
        adam.ApplyPendingUpdate();
        Assert.False(adam.HasPendingUpdate);
        AssertSameState(dense, denseOptimizer, lazy, lazyOptimizer, $"{typeof(T).Name} at the end");
        if (deadUnits > 0 && l2 == 0) // the regime the dead units are for was reached: W1's first moments hold values far
        {                             // below any w's last bit, and in float32 subnormal ones
            Assert.Contains(denseOptimizer.FirstMoments[0], m => m != T.Zero && T.Abs(m) < T.CreateChecked(1e-15));
            if (typeof(T) == typeof(float))
                Assert.Contains(denseOptimizer.FirstMoments[0], T.IsSubnormal);
        }
        Assert.Equal(denseMasks.NextDouble(), lazyMasks.NextDouble());
    }

    private static void AssertSameState<T>(Mlp<T> dense, Optimizer<T> denseOptimizer, Mlp<T> lazy, Optimizer<T> lazyOptimizer, string when)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(denseOptimizer.Steps, lazyOptimizer.Steps);
        for (var p = 0; p < dense.Parameters.Count; p++)
        {
            Assert.True(Bits(dense.Parameters[p].Value).SequenceEqual(Bits(lazy.Parameters[p].Value)), $"{when}: {dense.Parameters[p].Name}");
            Assert.True(Bits(denseOptimizer.FirstMoments[p]).SequenceEqual(Bits(lazyOptimizer.FirstMoments[p])), $"{when}: m of {dense.Parameters[p].Name}");
            Assert.True(Bits(denseOptimizer.SecondMoments[p]).SequenceEqual(Bits(lazyOptimizer.SecondMoments[p])), $"{when}: v of {dense.Parameters[p].Name}");
            Assert.All(lazy.Parameters[p].Gradient, g => Assert.Equal(T.Zero, g));
        }
    }

    // the raw bytes, so −0 and +0 (and NaN payloads) count as different
    private static byte[] Bits<T>(T[] values) where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    [Theory]
    [InlineData(17_000, 200, 0.0)] // float32's √(1 − β2ᵗ) is exactly 1 from about step 16,600 on: the replay skips that division
    [InlineData(40_000, 200, 0.0)] // float64's from about step 36,700 on
    [InlineData(16_400, 200, 0.0)] // the step where it becomes 1 falls inside the replayed steps: the full division throughout
    [InlineData(0, 203, 0.0)] // blocks of three vectors, one or two single vectors and a scalar tail
    [InlineData(17_000, 203, 0.0)]
    [InlineData(17_000, 203, 1e-3)] // λ ≠ 0: w feeds the gradient, the general step
    [InlineData(0, 29, 1e-3)]
    public void Replayed_zero_gradient_steps_equal_the_optimizer_s_steps(long startStep, int width, double l2)
    {
        AssertReplayEqualsOptimizer<float>(startStep, width, l2);
        AssertReplayEqualsOptimizer<double>(startStep, width, l2);
    }

    // 300 zero-gradient steps of one row (ordinary values, tiny and zero moments, and now and then a value the λ = 0
    // replay must not take its shortcut on: w infinite or NaN, a first moment so large that w overflows on the way,
    // NaN moments, −0 weights and moments) from the step after startStep: the replay kernel against Optimizer.Step on
    // the same values
    private static void AssertReplayEqualsOptimizer<T>(long startStep, int width, double l2) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int Replayed = 300;
        var parameter = new Parameter<T>("w", [width], ParameterLayout.RowMajor);
        var optimizer = new Optimizer<T>(OptimizerKind.Adam, LearningRate, l2, [parameter]);
        optimizer.RestoreSteps(startStep);
        var (w0, m0, v0) = (parameter.Value, optimizer.FirstMoments[0], optimizer.SecondMoments[0]);
        for (var i = 0; i < width; i++)
        {
            w0[i] = T.CreateChecked(0.01 * (i - 100));
            m0[i] = T.CreateChecked(i % 3 == 0 ? 1e-4 * (i - 100) : i % 3 == 1 ? 1e-40 : 0);
            v0[i] = T.CreateChecked(i % 2 == 0 ? 1e-6 : 1e-39);
        }
        // columns 30, 70, 110, … : in blocks of three vectors, in single vectors and in the scalar tail alike
        for (var (i, kind) = (Math.Min(30, width - 1), 0); i < width; (i, kind) = (i + 40, kind + 1))
        {
            switch (kind % 5)
            {
                case 0: w0[i] = T.PositiveInfinity; break;
                case 1: w0[i] = T.NaN; break;
                case 2: (m0[i], v0[i]) = (T.BitDecrement(T.PositiveInfinity), T.Zero); break; // m·s / ε overflows: w becomes infinite mid-replay
                case 3: (w0[i], m0[i]) = (T.NegativeZero, T.NegativeZero); break;
                default: (m0[i], v0[i]) = (T.NaN, T.NaN); break;
            }
        }
        var (w, m, v) = (w0.ToArray(), m0.ToArray(), v0.ToArray());
        var (stepSizes, corrections) = (new T[Replayed], new T[Replayed]);
        for (var t = 0; t < Replayed; t++)
            (stepSizes[t], corrections[t]) = optimizer.AdamScalars(startStep + 1 + t);
        PerExampleMlpAdam<T>.ReplayZeroGradientSteps(w, m, v, stepSizes, corrections, l2);
        for (var t = 0; t < Replayed; t++)
            optimizer.Step(1);
        var what = $"{typeof(T).Name} from step {startStep}, width {width}, λ {l2}";
        Assert.True(Bits(parameter.Value).SequenceEqual(Bits(w)), $"{what}: w");
        Assert.True(Bits(optimizer.FirstMoments[0]).SequenceEqual(Bits(m)), $"{what}: m");
        Assert.True(Bits(optimizer.SecondMoments[0]).SequenceEqual(Bits(v)), $"{what}: v");
        Assert.Contains(parameter.Value, x => !T.IsFinite(x));
        Assert.Contains(parameter.Value, T.IsFinite);
    }

    [Theory]
    [InlineData(200, 1)]
    [InlineData(200, 2)]
    [InlineData(16, 2)]
    public void Learner_takes_the_lazy_path_and_flushes_it_before_anything_reads_the_weights(int hidden, int threads)
    {
        var images = Images();
        var lazy = NewMlp<float>(images, Activation.Relu, [hidden], 0.3);
        var learner = new ClassifierLearner<float>(lazy, new Optimizer<float>(OptimizerKind.Adam, LearningRate, 0, lazy.Parameters),
            images, images, images, evaluateTrain: false, dropoutSeed: 1, threads);
        var dense = NewMlp<float>(images, Activation.Relu, [hidden], 0.3);
        var denseOptimizer = new Optimizer<float>(OptimizerKind.Adam, LearningRate, 0, dense.Parameters);
        // reads the dense model (never stepped per example, so nothing of its own is pending) and takes mini-batches
        var denseLearner = new ClassifierLearner<float>(dense, denseOptimizer, images, images, images, false, 1);
        learner.BeginEpoch(1);
        denseLearner.BeginEpoch(1);
        var masks = new NumpyRandomState(unchecked(1u * 1_000_003u + 1u)); // the learner's dropout stream of epoch 1
        for (var index = 0; index < 40; index++)
            Assert.Equal(DenseStep(dense, denseOptimizer, images, index, masks), learner.TrainBatch([index]));
        Assert.Equal(denseLearner.Predict(images), learner.Predict(images));
        Assert.Equal(Flat(denseLearner.Weights()), Flat(learner.Weights()));
        Assert.Equal(Flat(denseLearner.SaveState()), Flat(learner.SaveState()));
        for (var index = 40; index < 60; index++)
            Assert.Equal(DenseStep(dense, denseOptimizer, images, index, masks), learner.TrainBatch([index]));
        // a mini-batch after per-example steps starts from the flushed state (both learners draw its masks from their
        // own streams, which the per-example steps advanced alike)
        learner.BeginEpoch(2);
        denseLearner.BeginEpoch(2);
        Assert.Equal(denseLearner.TrainBatch([60, 61, 62]), learner.TrainBatch([60, 61, 62]));
        Assert.Equal(Flat(denseLearner.SaveState()), Flat(learner.SaveState()));
        // and per-example steps after the mini-batch start from its weights and moments
        learner.BeginEpoch(3);
        masks = new NumpyRandomState(unchecked(1u * 1_000_003u + 3u));
        for (var index = 63; index < 90; index++)
            Assert.Equal(DenseStep(dense, denseOptimizer, images, index, masks), learner.TrainBatch([index]));
        Assert.Equal(Flat(denseLearner.SaveState()), Flat(learner.SaveState()));
    }

    // the dense per-example Adam step on the pixels as float, with the given mask stream
    private static double DenseStep(Mlp<float> model, Optimizer<float> optimizer, LabeledImages images, int index, NumpyRandomState masks)
    {
        var input = images.Pixels(index).ToArray().Select(p => (float)p * (float)LabeledImages.PixelScale).ToArray();
        var loss = model.Forward(input, images.Label(index), masks);
        model.Backward();
        model.AccumulateGradients();
        optimizer.Step(1);
        return loss;
    }

    private static byte[] Flat(IReadOnlyList<IO.SafeTensor> tensors) => tensors.SelectMany(t => t.Data).ToArray();

    private static Mlp<T> NewMlp<T>(LabeledImages images, Activation activation, int[] hidden, double dropout)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = new Mlp<T>(images.Features, hidden, images.Classes, activation, dropout);
        model.Initialize(InitKind.Torch, new NumpyRandomState(42));
        return model;
    }

    // 7 × 7 images (49 inputs), every 17th one blank, and a corner pixel that is 0 in all but every 50th image, so
    // its row of W1 owes up to 49 zero-gradient steps when it is next read
    private static LabeledImages Images()
    {
        var images = Synthetic.Images(120, seed: 5, side: 7);
        var pixels = images.AllPixels.ToArray();
        for (var i = 0; i < images.Count; i++)
            pixels[i * images.Features] = (byte)(i % 50 == 3 ? 200 : 0);
        for (var i = 0; i < images.Count; i += 17)
            pixels.AsSpan(i * images.Features, images.Features).Clear();
        return new LabeledImages(pixels, images.Labels.ToArray(), images.Features, images.Classes);
    }
}
