using System.Numerics;
using ScratchNet.Data;
using ScratchNet.Models;
using ScratchNet.Randomness;
using ScratchNet.Tests.Models;
using ScratchNet.Runs;
using ScratchNet.Training;
using ScratchNet.Training.Fast;

namespace ScratchNet.Tests.Training.Fast;

/// <summary>
/// Batched (GEMM) inference against its per-example twin, the model's own <c>Predict</c>: small random models and
/// images with chunks that do not divide the count, and the course's three classifiers on the real dev set.
/// </summary>
public sealed class BatchedInferenceTests(CourseData data) : IClassFixture<CourseData>
{
    public static TheoryData<string> Models => ["perceptron", "logistic", "mlp-relu", "mlp-tanh-2"];

    [Theory]
    [MemberData(nameof(Models))]
    public void Random_models_predict_as_one_by_one_in_float64(string kind) => RandomModelMatches<double>(kind);

    [Theory]
    [MemberData(nameof(Models))]
    public void Random_models_predict_as_one_by_one_in_float32(string kind) => RandomModelMatches<float>(kind);

    [Theory]
    [MemberData(nameof(Models))]
    public void Predictions_do_not_depend_on_chunk_or_threads(string kind)
    {
        // (chunk, threads): one chunk on two GEMM threads; several chunks over two or three workers (more workers than
        // this machine's cores, and a last partial chunk); one example per chunk
        var model = RandomModel<float>(kind, new Random(5));
        var pixels = RandomPixels(new Random(6), 300);
        var reference = new int[300];
        new BatchedInference<float>(model, (float)LabeledImages.PixelScale, chunk: 256, maxThreads: 1).Predict(pixels, reference);
        Assert.True(reference.Distinct().Count() > 1, "the random model predicts a single class: the comparison would be weak");
        foreach (var (chunk, threads) in new[] { (256, 2), (1, 1), (64, 2), (16, 3), (300, 2), (1000, 1), (1, 2) })
        {
            var inference = new BatchedInference<float>(model, (float)LabeledImages.PixelScale, chunk, threads);
            for (var call = 0; call < 2; call++) // the second call reuses every worker's buffers
            {
                var predicted = new int[300];
                inference.Predict(pixels, predicted);
                Assert.Equal(reference, predicted);
            }
        }
    }

    [Fact]
    public void Rejects_pixels_of_the_wrong_length()
    {
        var inference = new BatchedInference<double>(new Perceptron<double>(Features, Classes), LabeledImages.PixelScale);
        var error = Assert.Throws<ArgumentException>(() => inference.Predict(new byte[Features * 3 - 1], new int[3]));
        Assert.Contains($"expected exactly {Features * 3}", error.Message);
    }

    [Fact]
    public void Ties_go_to_the_first_class_as_in_the_per_example_path()
    {
        var model = new Perceptron<double>(Features, Classes); // all scores 0: every class ties
        var predicted = new int[4];
        new BatchedInference<double>(model, LabeledImages.PixelScale).Predict(RandomPixels(new Random(1), 4), predicted);
        Assert.Equal([0, 0, 0, 0], predicted);
    }

    [Theory]
    [InlineData("perceptron")]
    [InlineData("logistic")]
    [InlineData("mlp")]
    public void Real_dev_set_predictions_equal_the_per_example_path_in_float64(string kind) => RealDevMatches<double>(kind);

    [Theory]
    [InlineData("perceptron")]
    [InlineData("logistic")]
    [InlineData("mlp")]
    public void Real_dev_set_predictions_equal_the_per_example_path_in_float32(string kind) => RealDevMatches<float>(kind);

    private const int Features = 37, Classes = 6;

    private static void RandomModelMatches<T>(string kind) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = RandomModel<T>(kind, new Random(kind.Length));
        const int count = 53;
        var pixels = RandomPixels(new Random(2), count);
        var predicted = new int[count];
        new BatchedInference<T>(model, T.CreateChecked(LabeledImages.PixelScale), chunk: 16, maxThreads: 2).Predict(pixels, predicted);
        var input = new T[Features];
        for (var i = 0; i < count; i++)
        {
            for (var j = 0; j < Features; j++)
                input[j] = T.CreateChecked(pixels[i * Features + j] * LabeledImages.PixelScale);
            Assert.Equal(model.Predict(input), predicted[i]);
        }
    }

    private static IClassifierModel<T> RandomModel<T>(string kind, Random random) where T : unmanaged, IFloatingPointIeee754<T>
    {
        IClassifierModel<T> model = kind switch
        {
            "perceptron" => new Perceptron<T>(Features, Classes),
            "logistic" => new LogisticRegression<T>(Features, Classes),
            "mlp-relu" => new Mlp<T>(Features, [11], Classes),
            "mlp-tanh-2" => new Mlp<T>(Features, [9, 7], Classes, Activation.Tanh, dropout: 0.5),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        foreach (var parameter in model.Parameters)
        {
            for (var i = 0; i < parameter.Value.Length; i++)
                parameter.Value[i] = T.CreateChecked(random.NextDouble() * 2 - 1);
        }
        return model;
    }

    private static byte[] RandomPixels(Random random, int count)
    {
        var pixels = new byte[count * Features];
        random.NextBytes(pixels);
        for (var i = 0; i < pixels.Length; i += 3)
            pixels[i] = 0; // black pixels, as the images have
        return pixels;
    }

    // each model trained one short epoch on 3,000 course examples, so its weights are the kind training makes
    private void RealDevMatches<T>(string kind) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (train, dev, test) = data.FashionMnist;
        var random = new NumpyRandomState(42);
        IClassifierModel<T> model = kind switch
        {
            "perceptron" => new Perceptron<T>(784, 10),
            "logistic" => new LogisticRegression<T>(784, 10),
            _ => new Mlp<T>(784, [200], 10),
        };
        if (model is Mlp<T> mlp)
            mlp.Initialize(InitKind.Course, random);
        var learningRate = kind == "perceptron" ? 1 : 0.001;
        var learner = new ClassifierLearner<T>(model, new Optimizer<T>(OptimizerKind.Sgd, learningRate, 0, model.Parameters),
            train.Take(3_000), dev, test, false, 42);
        var history = new List<EpochMetrics>();
        Trainer.Run(learner, random, 1, 1, history, ScratchNet.Tests.Training.NullObserver.Instance, CancellationToken.None);

        var oneByOne = learner.PredictOneByOne(dev);
        var batched = learner.Predict(dev);
        var differing = Enumerable.Range(0, dev.Count).Where(i => oneByOne[i] != batched[i]).ToArray();
        Assert.True(differing.Length == 0, $"{differing.Length} of {dev.Count} dev predictions differ, first at {differing.FirstOrDefault()}.");
        var correct = oneByOne.Where((p, i) => p == dev.Label(i)).Count();
        Assert.Equal((double)correct / dev.Count, history[^1].DevAccuracy!.Value);
    }
}
