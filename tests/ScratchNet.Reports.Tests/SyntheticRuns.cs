using ScratchNet.Models;
using ScratchNet.Runs;

namespace ScratchNet.Reports.Tests;

/// <summary>
/// Realistic run folders made in code with the RunFolder API: per-epoch curves that end exactly on a chosen final value,
/// and test predictions with a chosen accuracy.
/// </summary>
internal static class SyntheticRuns
{
    public const int TestSize = 10_000;

    public static readonly DateTimeOffset Start = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A classifier run whose accuracies rise to <paramref name="dev"/> / <paramref name="test"/> at the last epoch.</summary>
    public static string Classifier(string root, string name, TrainingOptions options, double dev, double test,
        RunStatus status = RunStatus.Completed, string? message = null, bool predictions = true)
    {
        var epochs = Enumerable.Range(1, options.Epochs).Select(e => new EpochMetrics
        {
            Epoch = e,
            Seconds = 0.5,
            TrainLoss = 0.3 + 1.5 * Math.Exp(-e / 3.0),
            DevAccuracy = Rising(dev, e, options.Epochs),
            TestAccuracy = Rising(test, e, options.Epochs),
        }).ToList();
        var final = new Dictionary<string, double> { ["dev_accuracy"] = dev, ["test_accuracy"] = test, ["train_loss"] = epochs[^1].TrainLoss!.Value };
        return Write(root, name, options, epochs, final, status, message, predictions ? Predictions(test) : null);
    }

    /// <summary>A regression run: train RMSE falls to <paramref name="train"/>; test RMSE has its minimum at <paramref name="bestEpoch"/> and ends at <paramref name="test"/>.</summary>
    public static string Regressor(string root, string name, TrainingOptions options, double train, double test, int bestEpoch, bool distance)
    {
        var last = options.Epochs;
        var testAtBest = test - 0.05;
        var epochs = Enumerable.Range(1, last).Select(e => new EpochMetrics
        {
            Epoch = e,
            Seconds = 0.1,
            TrainRmse = e == last ? train : train + 2.0 * (Math.Exp(-e / 10.0) - Math.Exp(-last / 10.0)),
            // A parabola in the epoch: lowest at bestEpoch, exactly `test` at the last epoch.
            TestRmse = e == last ? test : testAtBest + (test - testAtBest) * Math.Pow((e - bestEpoch) / (double)(last - bestEpoch), 2),
            WeightDistance = distance ? 40.0 * Math.Exp(-e / 40.0) + 3.0 : null,
        }).ToList();
        var final = new Dictionary<string, double> { ["train_rmse"] = train, ["test_rmse"] = test };
        return Write(root, name, options, epochs, final, RunStatus.Completed, null, null);
    }

    public static string Write(string root, string name, TrainingOptions options, IReadOnlyList<EpochMetrics> epochs,
        IReadOnlyDictionary<string, double> final, RunStatus status, string? message, (byte[] Labels, int[] Predicted)? predictions)
    {
        var path = Path.Combine(root, $"{name}-{options.Engine.ToString().ToLowerInvariant()}");
        using var folder = RunFolder.Open(path);
        folder.WriteMetrics(epochs);
        if (predictions is { } p)
            folder.WritePredictions(p.Labels, p.Predicted);
        folder.WriteManifest(new RunManifest
        {
            Name = name,
            Status = status,
            Options = options,
            ConfigHash = options.ConfigHash(),
            Environment = new RunEnvironment("0.1.0-test", ".NET 10.0.0", "Debian GNU/Linux 12", "X64", 2),
            StartedUtc = Start,
            FinishedUtc = Start.AddSeconds(epochs.Sum(m => m.Seconds)),
            Seconds = epochs.Sum(m => m.Seconds),
            EpochsCompleted = epochs.Count,
            Final = final,
            Message = message,
        });
        return path;
    }

    /// <summary>Test labels cycle 0..9; the first round(accuracy·N) are right, the others are off by 1–3 classes.</summary>
    public static (byte[] Labels, int[] Predicted) Predictions(double accuracy)
    {
        var labels = new byte[TestSize];
        var predicted = new int[TestSize];
        var correct = (int)Math.Round(accuracy * TestSize);
        for (var i = 0; i < TestSize; i++)
        {
            labels[i] = (byte)(i % 10);
            predicted[i] = i < correct ? labels[i] : (labels[i] + 1 + i % 3) % 10;
        }
        return (labels, predicted);
    }

    /// <summary>A 28×28 test image whose brightness encodes its index, so a test can tell images apart.</summary>
    public static byte[] Image(int index)
    {
        var pixels = new byte[28 * 28];
        for (var y = 0; y < 28; y++)
        {
            for (var x = 0; x < 28; x++)
                pixels[y * 28 + x] = (byte)(Math.Abs(x - 14) + Math.Abs(y - 14) < 10 ? 40 + index * 7 % 200 : 0);
        }
        return pixels;
    }

    private static double Rising(double final, int epoch, int epochs) =>
        epoch == epochs ? final : final * (1 - 0.3 * (Math.Exp(-epoch / 3.0) - Math.Exp(-epochs / 3.0)));

    public static TrainingOptions Q3(ModelKind model) => Presets.For(model, "q3");

    public static TrainingOptions Q4(ModelKind model, Engine engine = Engine.Torch) => Presets.For(model, "q4").OnEngine(engine);

    /// <summary>
    /// Every run of the report's plan (plus the Q4.1 study on the scratch engine too), with final numbers equal to the
    /// reference except where <see cref="Off"/> says otherwise. In Q4.2 adam has the best test accuracy but not the best dev
    /// accuracy, so selection on dev must not choose it.
    /// </summary>
    public static string FullPlan(string root)
    {
        Regressor(root, "q2.2a-linear", Presets.For(ModelKind.LinearRegression, "q2"), 0.1105, 0.2382, bestEpoch: 71, distance: true);
        Regressor(root, "q2.2b-neural", Presets.For(ModelKind.NeuralRegressor, "q2"), 0.0986, 0.1655, bestEpoch: 40, distance: false);
        Classifier(root, "q3.1a-perceptron", Q3(ModelKind.Perceptron), 0.7126, 0.7013);
        Classifier(root, "q3.1b-logistic", Q3(ModelKind.LogisticRegression), 0.8503, 0.8403);
        Classifier(root, "q3.2b-mlp", Q3(ModelKind.Mlp), 0.8776, Off.MlpTest);
        foreach (var engine in new[] { Engine.Torch, Engine.Scratch })
        {
            var logistic = Q4(ModelKind.LogisticRegression, engine);
            Classifier(root, "q4.1-logistic-lr0.001", logistic with { LearningRate = 0.001 }, 0.8499, engine == Engine.Scratch ? Off.ScratchQ41Test : 0.8388);
            Classifier(root, "q4.1-logistic-lr0.01", logistic, 0.8420, 0.8350);
            Classifier(root, "q4.1-logistic-lr0.1", logistic with { LearningRate = 0.1 }, 0.8001, 0.7950);
        }
        var mlp = Q4(ModelKind.Mlp);
        Classifier(root, "q4.2-mlp-lr0.001", mlp with { LearningRate = 0.001 }, 0.8850, 0.8793);
        Classifier(root, "q4.2-mlp-lr0.01", mlp, 0.8700, 0.8650);
        Classifier(root, "q4.2-mlp-lr0.1", mlp with { LearningRate = 0.1 }, 0.1000, 0.1000, RunStatus.Diverged, "train loss became NaN at epoch 2 <step 3>");
        Classifier(root, "q4.2-mlp-hidden100", mlp with { HiddenSize = 100 }, 0.8650, 0.8600);
        Classifier(root, "q4.2-mlp-dropout0.5", mlp with { Dropout = 0.5 }, 0.8600, 0.8550);
        Classifier(root, "q4.2-mlp-tanh", mlp with { Activation = Activation.Tanh }, 0.8620, 0.8570);
        Classifier(root, "q4.2-mlp-adam", mlp with { Optimizer = OptimizerKind.Adam }, 0.8500, Off.AdamTest);
        Classifier(root, "q4.3-mlp-layers2", mlp with { Layers = 2 }, 0.8810, 0.8745);
        Classifier(root, "q4.3-mlp-layers3", mlp with { Layers = 3 }, 0.8790, 0.8700);
        return root;
    }

    /// <summary>The numbers <see cref="FullPlan"/> sets away from the reference on purpose.</summary>
    public static class Off
    {
        /// <summary>Q3.2b MLP test accuracy: the reference is 0.8704, so the report must show +0.0008, within the chaotic row's tolerance (at least 0.003): close.</summary>
        public const double MlpTest = 0.8712;
        /// <summary>Q4.1 test accuracy on the scratch engine with numpy's stream: the reference 0.8388 is deterministic, so +0.0027 differs.</summary>
        public const double ScratchQ41Test = 0.8415;
        /// <summary>Best test accuracy of Q4.2, on a configuration that is not best on dev.</summary>
        public const double AdamTest = 0.8900;
    }
}
