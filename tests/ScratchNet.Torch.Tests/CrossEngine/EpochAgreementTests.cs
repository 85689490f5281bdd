using ScratchNet.Data;
using ScratchNet.Models;
using ScratchNet.Runs;
using ScratchNet.Training;

namespace ScratchNet.Torch.Tests.CrossEngine;

/// <summary>
/// One epoch over the first 300 Fashion-MNIST training images, both engines in float64 from the same weights and in the
/// same order of examples (dropout off): the scratch engine's learner (its in-place SGD over the non-zero inputs for batch size 1, its
/// optimizer otherwise) and TorchSharp's optimizers end with the same weights.
/// </summary>
public class EpochAgreementTests(CourseFashionMnist course) : IClassFixture<CourseFashionMnist>
{
    private const int Examples = 300;

    [Theory]
    [InlineData(0, Activation.Relu, OptimizerKind.Sgd, 0.0, 1)]
    [InlineData(1, Activation.Relu, OptimizerKind.Sgd, 0.0, 1)]
    [InlineData(2, Activation.Tanh, OptimizerKind.Sgd, 0.01, 8)]
    [InlineData(1, Activation.Relu, OptimizerKind.Adam, 0.0, 16)]
    [InlineData(3, Activation.Tanh, OptimizerKind.Adam, 0.01, 1)]
    [InlineData(0, Activation.Relu, OptimizerKind.Adam, 0.01, 4)]
    public void One_epoch_in_the_same_order_ends_with_the_same_weights(int layers, Activation activation, OptimizerKind optimizerKind, double l2, int batchSize)
    {
        var train = course.Data.Train.Take(Examples);
        var options = GradientAgreementTests.Options(layers, activation, optimizerKind, l2) with
        {
            HiddenSize = 32, BatchSize = batchSize, LearningRate = optimizerKind == OptimizerKind.Sgd ? 0.05 : 0.001,
        };
        var weights = GradientAgreementTests.InitialWeights(options, train.Features, train.Classes, scale: 2 / Math.Sqrt(train.Features));
        var order = Enumerable.Range(0, Examples).ToArray();
        new Random(3).Shuffle(order);

        var model = ScratchModels.Create(options, train.Features, train.Classes);
        ScratchModels.Load(model, weights);
        var optimizer = new Optimizer<double>(optimizerKind, options.LearningRate, l2, model.Parameters);
        var learner = new ClassifierLearner<double>(model, optimizer, train, course.Data.Dev.Take(10), course.Data.Test.Take(10), evaluateTrain: false, dropoutSeed: 0);
        learner.BeginEpoch(1);
        for (int start = 0; start < Examples; start += batchSize)
            learner.TrainBatch(order.AsSpan(start, Math.Min(batchSize, Examples - start)));

        var torch = TorchGradients.Epoch(options, train.Features, train.Classes, weights, Pixels(train), Labels(train), order);

        Agreement.Equal(torch, ScratchModels.ToTorchLayout(learner.Model), 1e-10, $"after one epoch (batch {batchSize}, {optimizerKind}, L2 {l2}):");
        var moved = torch.Zip(weights).Max(pair => pair.First.Data.Zip(pair.Second).Max(v => Math.Abs(v.First - v.Second)));
        Assert.True(moved > 1e-3, $"the epoch moved the weights by at most {moved}; the comparison would be vacuous");
    }

    private static double[] Pixels(LabeledImages images)
    {
        var pixels = images.AllPixels;
        var x = new double[pixels.Length];
        for (int i = 0; i < x.Length; i++)
            x[i] = pixels[i] * LabeledImages.PixelScale;
        return x;
    }

    private static long[] Labels(LabeledImages images)
    {
        var y = new long[images.Count];
        for (int i = 0; i < y.Length; i++)
            y[i] = images.Label(i);
        return y;
    }
}
