using System.Diagnostics;
using static TorchSharp.torch;

namespace ScratchNet.Torch;

/// <summary>
/// The course's hw1-q4.py training loop on TorchSharp: seed, build the model, then per epoch shuffle as
/// DataLoader(shuffle=True), step per batch (train mode, zero_grad, forward, cross-entropy, backward, step),
/// and evaluate on dev in eval mode; finally evaluate on test.
/// </summary>
public static class TorchClassifierTrainer
{
    public static TorchTrainingResult Train(TorchRunOptions options, TorchClassificationData data,
        IProgress<TorchEpochProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        data.Validate();
        lock (TorchEngine.GlobalStateLock)
        {
            TorchEngine.SetThreads(options.Threads);
            manual_seed(options.Seed); // configure_seed(42) happens before the model is built
            using var model = TorchModels.Create(options, data.Features, data.Classes);
            using var trainX = ToFeatures(data.Train, data.Features);
            using var trainY = tensor(data.Train.Labels);
            using var devX = ToFeatures(data.Dev, data.Features);
            using var devY = tensor(data.Dev.Labels);
            using var optimizer = CreateOptimizer(options, model);
            using var criterion = nn.CrossEntropyLoss();

            var losses = new List<float>();
            var epochs = new List<TorchEpochProgress>();
            int count = data.Train.Count;
            model.train();
            for (int epoch = 1; epoch <= options.Epochs; epoch++)
            {
                var clock = Stopwatch.StartNew();
                double epochLossSum = 0;
                int epochSteps = 0;
                using (var order = DataLoaderShuffle.NextEpochOrderTensor(count))
                {
                    for (int start = 0; start < count; start += options.BatchSize)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        using var scope = NewDisposeScope();
                        var batch = order.narrow(0, start, Math.Min(options.BatchSize, count - start));
                        model.train();
                        optimizer.zero_grad();
                        var loss = criterion.forward(model.forward(trainX.index_select(0, batch)), trainY.index_select(0, batch));
                        loss.backward();
                        optimizer.step();
                        float value = loss.item<float>();
                        losses.Add(value);
                        epochLossSum += value;
                        epochSteps++;
                    }
                }
                double seconds = clock.Elapsed.TotalSeconds;
                var record = new TorchEpochProgress(epoch, RunningMean(losses), epochLossSum / epochSteps, Accuracy(model, devX, devY), seconds);
                epochs.Add(record);
                progress?.Report(record);
            }

            using var testX = ToFeatures(data.Test, data.Features);
            using var testY = tensor(data.Test.Labels);
            double testAccuracy = Accuracy(model, testX, testY);
            return new TorchTrainingResult(epochs, testAccuracy, losses.Count, TorchModels.ExportParameters(model));
        }
    }

    /// <summary>Fraction of rows whose argmax logit equals the label, in eval mode (dropout off); train mode restored after.</summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> model, Tensor features, Tensor labels)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        long correct = model.forward(features).argmax(-1).eq(labels).sum().item<long>();
        model.train();
        return correct / (double)labels.shape[0];
    }

    /// <summary>The course's printed loss: torch.tensor(train_losses).mean().item() — a float32 mean computed by libtorch.</summary>
    private static double RunningMean(List<float> losses)
    {
        using var all = tensor(losses.ToArray());
        using var mean = all.mean();
        return mean.item<float>();
    }

    private static Tensor ToFeatures(TorchSplit split, int features) =>
        tensor(split.Features, [split.Count, features], ScalarType.Float32);

    private static optim.Optimizer CreateOptimizer(TorchRunOptions options, nn.Module module) =>
        options.Optimizer == TorchOptimizerKind.Sgd
            ? optim.SGD(module.parameters(), options.LearningRate, weight_decay: options.L2)
            : optim.Adam(module.parameters(), options.LearningRate, weight_decay: options.L2);
}
