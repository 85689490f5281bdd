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
        IProgress<TorchEpochProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Train(options, data, new EpochProgressObserver(progress), cancellationToken);

    /// <summary>
    /// Trains as <see cref="Train(TorchRunOptions, TorchClassificationData, IProgress{TorchEpochProgress}?, CancellationToken)"/>,
    /// reporting every step and epoch to <paramref name="observer"/>. The first non-finite loss stops the run (see
    /// <see cref="TorchTrainingResult.Divergence"/>); cancellation between steps throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public static TorchTrainingResult Train(TorchRunOptions options, TorchClassificationData data,
        ITorchTrainingObserver observer, CancellationToken cancellationToken = default)
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
            using var testX = ToFeatures(data.Test, data.Features);
            using var testY = tensor(data.Test.Labels);
            using var optimizer = TorchModels.CreateOptimizer(options, model);
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
                        float value = loss.item<float>();
                        if (!float.IsFinite(value))
                        {
                            var where = $"the loss became {value} in epoch {epoch} at example {start + 1} of {count}";
                            return new TorchTrainingResult(epochs, double.NaN, losses.Count, TorchModels.ExportParameters(model), [], where);
                        }
                        loss.backward();
                        optimizer.step();
                        losses.Add(value);
                        epochLossSum += value;
                        epochSteps++;
                        observer.OnStep(epoch, Math.Min(start + options.BatchSize, count), count);
                    }
                }
                double seconds = clock.Elapsed.TotalSeconds;
                var record = new TorchEpochProgress(epoch, RunningMean(losses), epochLossSum / epochSteps, Accuracy(model, devX, devY), seconds,
                    Accuracy(model, testX, testY), TrainAccuracy: Accuracy(model, trainX, trainY));
                epochs.Add(record);
                observer.OnEpoch(record);
            }

            int[] predictions = Predict(model, testX);
            return new TorchTrainingResult(epochs, epochs[^1].TestAccuracy, losses.Count, TorchModels.ExportParameters(model), predictions);
        }
    }

    /// <summary>The argmax class of every row, in eval mode (dropout off); train mode restored after.</summary>
    public static int[] Predict(nn.Module<Tensor, Tensor> model, Tensor features)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        long[] classes = model.forward(features).argmax(-1).data<long>().ToArray();
        model.train();
        return Array.ConvertAll(classes, c => (int)c);
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


    private sealed class EpochProgressObserver(IProgress<TorchEpochProgress>? progress) : ITorchTrainingObserver
    {
        public void OnStep(int epoch, int examplesDone, int examplesTotal)
        {
        }

        public void OnEpoch(TorchEpochProgress epoch) => progress?.Report(epoch);
    }
}
