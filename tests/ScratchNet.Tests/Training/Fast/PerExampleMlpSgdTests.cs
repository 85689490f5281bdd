using System.Numerics;
using ScratchNet.Data;
using ScratchNet.Models;
using ScratchNet.Randomness;
using ScratchNet.Runs;
using ScratchNet.Training;
using ScratchNet.Training.Fast;

namespace ScratchNet.Tests.Training.Fast;

/// <summary>
/// The fused per-example SGD against the unfused course path (<see cref="Mlp{T}"/>'s Forward, Backward, SgdStep on
/// the pixels as T): the same losses and bit-identical weights after a few hundred steps, for each precision,
/// activation, depth (0, 1 or 2 hidden layers) and dropout, on images whose non-zero pixels overlap from one example
/// to the next (and some blank ones, whose non-zero lists are empty).
/// </summary>
public sealed class PerExampleMlpSgdTests
{
    private const int Steps = 300;
    private const double LearningRate = 0.05;

    public static TheoryData<Activation, int[], double> Networks() => new()
    {
        { Activation.Relu, [], 0 },
        { Activation.Relu, [16], 0 },
        { Activation.Tanh, [13], 0 },
        { Activation.Relu, [12, 9], 0 },
        { Activation.Tanh, [13, 9], 0.3 },
        { Activation.Relu, [16], 0.25 },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Fused_steps_give_the_unfused_losses_and_weights_bit_for_bit(Activation activation, int[] hidden, double dropout)
    {
        AssertFusedEqualsUnfused<float>(activation, hidden, dropout);
        AssertFusedEqualsUnfused<double>(activation, hidden, dropout);
    }

    // first layers wide enough to split over two threads (≥ 64 units), the two halves of uneven widths for 72
    public static TheoryData<Activation, int[], double> WideNetworks() => new()
    {
        { Activation.Relu, [64], 0 },
        { Activation.Tanh, [72, 9], 0.3 },
        { Activation.Relu, [200], 0.25 },
    };

    [Theory]
    [MemberData(nameof(WideNetworks))]
    public void Two_thread_steps_give_the_unfused_losses_and_weights_bit_for_bit(Activation activation, int[] hidden, double dropout)
    {
        AssertFusedEqualsUnfused<float>(activation, hidden, dropout, threads: 2);
        AssertFusedEqualsUnfused<double>(activation, hidden, dropout, threads: 2);
    }

    // libtorch's stream (the q4 preset's): the fused paths draw Dropout's bernoulli_ masks in the unfused path's order
    [Theory]
    [InlineData(Activation.Relu, new[] { 16 }, 0.3, 1)]
    [InlineData(Activation.Tanh, new[] { 13, 9 }, 0.5, 1)]
    [InlineData(Activation.Relu, new[] { 200 }, 0.3, 2)]
    [InlineData(Activation.Tanh, new[] { 72, 9 }, 0.5, 2)]
    public void Fused_steps_on_libtorchs_stream_give_the_unfused_losses_and_weights_bit_for_bit(Activation activation, int[] hidden, double dropout, int threads)
    {
        AssertFusedEqualsUnfused<float>(activation, hidden, dropout, threads, torchStream: true);
        AssertFusedEqualsUnfused<double>(activation, hidden, dropout, threads, torchStream: true);
    }

    // Rows whose pixel stays dark for longer than the ring of waiting updates (DeferredFirstLayer.RingSize examples)
    // get their update when its gradient's slot is reused; rarely lit rows wait a few to tens of examples; reading the
    // weights every 37 steps applies every waiting update, and training goes on from there.
    [Theory]
    [InlineData(Activation.Relu, 16, 1)]
    [InlineData(Activation.Tanh, 13, 1)]
    [InlineData(Activation.Relu, 64, 2)]
    [InlineData(Activation.Relu, 72, 2)]
    public void Rows_dark_for_many_examples_get_the_unfused_weights_bit_for_bit(Activation activation, int hidden, int threads)
    {
        Assert.True(DeferredFirstLayer<float>.RingSize < 45, "the rarest pixels must stay dark for longer than the ring");
        var images = SparseImages();
        AssertFusedEqualsUnfused<float>(activation, [hidden], 0, threads, images: images);
        AssertFusedEqualsUnfused<double>(activation, [hidden], 0, threads, images: images);
        AssertFusedEqualsUnfused<float>(activation, [hidden], 0, threads, images: images, readEvery: 37);
        AssertFusedEqualsUnfused<double>(activation, [hidden], 0, threads, images: images, readEvery: 37);
    }

    // A short probe (5 steps on one thread, then blocks of 5 steps split and not, 3 each) switches between the two ways
    // eight times within the run, each switch applying the pending update; the weights stay the unfused path's, and
    // after the probe the run goes on the way it chose.
    [Theory]
    [InlineData(Activation.Relu, new[] { 64 }, 0.0)]
    [InlineData(Activation.Tanh, new[] { 72, 9 }, 0.3)]
    public void Steps_that_switch_between_one_and_two_threads_give_the_unfused_weights_bit_for_bit(Activation activation, int[] hidden, double dropout)
    {
        var floatProbe = new ForkProbe(5, 5, 3);
        AssertFusedEqualsUnfused<float>(activation, hidden, dropout, threads: 2, probe: floatProbe);
        Assert.NotNull(floatProbe.Decision);
        AssertFusedEqualsUnfused<double>(activation, hidden, dropout, threads: 2, probe: new ForkProbe(5, 5, 3), readEvery: 7);
        AssertFusedEqualsUnfused<float>(activation, hidden, dropout, threads: 2, images: SparseImages(), probe: new ForkProbe(5, 5, 3));
    }

    [Fact]
    public void A_run_with_two_threads_times_its_steps_unless_told()
    {
        var images = Images();
        using var timed = new PerExampleMlpSgd<float>(NewMlp<float>(images, Activation.Relu, [64], 0), 1f, threads: 2);
        using var forced = new PerExampleMlpSgd<float>(NewMlp<float>(images, Activation.Relu, [64], 0), 1f, threads: 2, splitSteps: true);
        using var single = new PerExampleMlpSgd<float>(NewMlp<float>(images, Activation.Relu, [64], 0), 1f, threads: 1);
        Assert.NotNull(timed.Probe);
        Assert.Equal(ForkProbe.ForPerExampleSteps().ProbeSteps, timed.Probe!.ProbeSteps);
        Assert.Null(forced.Probe);
        Assert.Null(single.Probe);
    }

    [Fact]
    public void Only_wide_first_layers_are_split_and_only_with_two_threads()
    {
        var images = Images();
        using var narrow = new PerExampleMlpSgd<float>(NewMlp<float>(images, Activation.Relu, [63], 0), 1f, threads: 2);
        using var single = new PerExampleMlpSgd<float>(NewMlp<float>(images, Activation.Relu, [200], 0), 1f, threads: 1);
        using var split = new PerExampleMlpSgd<float>(NewMlp<float>(images, Activation.Relu, [64], 0), 1f, threads: 2);
        Assert.False(narrow.IsSplit);
        Assert.False(single.IsSplit);
        Assert.True(split.IsSplit);
    }

    // With two threads the steps split (forced) unless a probe is given, which then decides them by timing.
    private static void AssertFusedEqualsUnfused<T>(Activation activation, int[] hidden, double dropout, int threads = 1, bool torchStream = false,
        LabeledImages? images = null, int readEvery = 0, ForkProbe? probe = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        images ??= Images();
        var (reference, fused) = (NewMlp<T>(images, activation, hidden, dropout), NewMlp<T>(images, activation, hidden, dropout));
        using var sgd = new PerExampleMlpSgd<T>(fused, T.CreateChecked(LabeledImages.PixelScale), threads,
            splitSteps: threads > 1 && probe is null ? true : null, probe);
        Assert.Equal(threads > 1, sgd.IsSplit);
        IDropoutMasks referenceMasks = torchStream ? new TorchGenerator(7) : new NumpyRandomState(7);
        IDropoutMasks fusedMasks = torchStream ? new TorchGenerator(7) : new NumpyRandomState(7);
        var learningRate = T.CreateChecked(LearningRate);
        var input = new T[images.Features];
        for (var step = 0; step < Steps; step++)
        {
            var index = step % images.Count;
            for (var j = 0; j < input.Length; j++)
                input[j] = T.CreateTruncating(images.Pixels(index)[j]) * T.CreateChecked(LabeledImages.PixelScale);
            var expectedLoss = reference.Forward(input, images.Label(index), dropout > 0 ? referenceMasks : null);
            reference.Backward();
            reference.SgdStep(learningRate);

            var loss = sgd.Step(images.Pixels(index), images.Label(index), learningRate, dropout > 0 ? fusedMasks : null);
            Assert.True(expectedLoss == loss, $"{typeof(T).Name} step {step}: loss {loss} vs unfused {expectedLoss}");
            if (readEvery > 0 && step % readEvery == readEvery - 1)
            {
                sgd.ApplyPendingUpdate();
                Assert.False(sgd.HasPendingUpdate);
                Assert.Equal(reference.Parameters[0].Value, fused.Parameters[0].Value);
            }
        }
        Assert.True(sgd.HasPendingUpdate);
        sgd.ApplyPendingUpdate();
        Assert.False(sgd.HasPendingUpdate);
        for (var p = 0; p < reference.Parameters.Count; p++)
            Assert.Equal(reference.Parameters[p].Value, fused.Parameters[p].Value);
        if (torchStream)
            Assert.Equal(((TorchGenerator)referenceMasks).Random64(), ((TorchGenerator)fusedMasks).Random64());
        else
            Assert.Equal(((NumpyRandomState)referenceMasks).NextDouble(), ((NumpyRandomState)fusedMasks).NextDouble());
    }

    [Theory]
    [InlineData(16, 1)]
    [InlineData(64, 2)]
    public void Learner_applies_the_deferred_update_before_anything_reads_the_weights(int hidden, int threads)
    {
        var images = Images();
        var fused = NewMlp<double>(images, Activation.Relu, [hidden], 0);
        var learner = new ClassifierLearner<double>(fused, new Optimizer<double>(OptimizerKind.Sgd, LearningRate, 0, fused.Parameters),
            images, images, images, evaluateTrain: false, dropoutSeed: 1, threads);
        var reference = NewMlp<double>(images, Activation.Relu, [hidden], 0);
        var referenceLearner = new ClassifierLearner<double>(reference,
            new Optimizer<double>(OptimizerKind.Sgd, LearningRate, 0, reference.Parameters), images, images, images, false, 1);
        learner.BeginEpoch(1);
        for (var index = 0; index < 40; index++)
        {
            Assert.Equal(ReferenceStep(reference, images, index), learner.TrainBatch([index]));
        }
        // a read between steps sees current weights, and training goes on from them unchanged
        Assert.Equal(referenceLearner.Predict(images), learner.Predict(images));
        Assert.Equal(Flat(referenceLearner.Weights()), Flat(learner.Weights()));
        Assert.Equal(ReferenceStep(reference, images, 40), learner.TrainBatch([40]));
        Assert.Equal(ReferenceStep(reference, images, 41), learner.TrainBatch([41]));
        // a mini-batch after per-example steps starts from the updated weights
        var batchLoss = learner.TrainBatch([42, 43]);
        var referenceBatchLoss = referenceLearner.TrainBatch([42, 43]);
        Assert.Equal(referenceBatchLoss, batchLoss);
        Assert.Equal(Flat(referenceLearner.SaveState()), Flat(learner.SaveState()));
        // and per-example steps after the mini-batch start from its weights (split: the blocks are loaded afresh)
        for (var index = 44; index < 60; index++)
            Assert.Equal(referenceLearner.TrainBatch([index]), learner.TrainBatch([index]));
        Assert.Equal(Flat(referenceLearner.SaveState()), Flat(learner.SaveState()));
    }

    // the unfused per-example step of the course, on the pixels as T
    private static double ReferenceStep(Mlp<double> model, LabeledImages images, int index)
    {
        var input = images.Pixels(index).ToArray().Select(p => p * LabeledImages.PixelScale).ToArray();
        var loss = model.Forward(input, images.Label(index), null);
        model.Backward();
        model.SgdStep(LearningRate);
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

    // 7 × 7 images: pixels 0–4 lit in one image of 45 each, 5–14 in about one of ten, the rest in about two of three
    private static LabeledImages SparseImages()
    {
        const int count = 200, features = 49, classes = 10;
        var random = new Random(11);
        var pixels = new byte[count * features];
        var labels = new byte[count];
        for (var i = 0; i < count; i++)
        {
            labels[i] = (byte)random.Next(classes);
            for (var j = 0; j < features; j++)
            {
                var lit = j < 5 ? i % 45 == j * 9 : random.NextDouble() < (j < 15 ? 0.1 : 0.65);
                pixels[i * features + j] = lit ? (byte)random.Next(1, 256) : (byte)0;
            }
        }
        return new LabeledImages(pixels, labels, features, classes);
    }

    // 7 × 7 images (49 inputs, not a multiple of any vector width), every 17th one blank
    private static LabeledImages Images()
    {
        var images = Synthetic.Images(120, seed: 5, side: 7);
        var pixels = images.AllPixels.ToArray();
        for (var i = 0; i < images.Count; i += 17)
            pixels.AsSpan(i * images.Features, images.Features).Clear();
        return new LabeledImages(pixels, images.Labels.ToArray(), images.Features, images.Classes);
    }
}
