using System.Diagnostics;
using ScratchNet.Runs;
using static TorchSharp.torch;

namespace ScratchNet.Torch;

/// <summary>
/// The course's hw1-q4.py training loop on TorchSharp: seed, build the model, then per epoch shuffle as
/// DataLoader(shuffle=True), step per batch (train mode, zero_grad, forward, cross-entropy, backward, step),
/// and evaluate on dev in eval mode; finally evaluate on test.
/// </summary>
public static class TorchClassifierTrainer
{
    public static TorchTrainingResult Train(TrainingOptions options, TorchClassificationData data,
        IProgress<TorchEpochProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Train(options, data, new EpochProgressObserver(progress), cancellationToken);

    /// <summary>
    /// Trains as <see cref="Train(TrainingOptions, TorchClassificationData, IProgress{TorchEpochProgress}?, CancellationToken)"/>,
    /// reporting every step and epoch to <paramref name="observer"/>. The first non-finite loss stops the run (see
    /// <see cref="TorchTrainingResult.Divergence"/>); cancellation between steps throws <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <remarks>With <paramref name="resumeFrom"/>, the run continues after that checkpoint's epoch and ends as an uninterrupted
    /// run with the same options ends (the checkpoint must come from a run with the same options but the epoch count).</remarks>
    public static TorchTrainingResult Train(TrainingOptions options, TorchClassificationData data,
        ITorchTrainingObserver observer, CancellationToken cancellationToken = default, TorchCheckpoint? resumeFrom = null)
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
            if (resumeFrom is not null)
            {
                Restore(resumeFrom, model, optimizer);
                losses.AddRange(resumeFrom.Losses);
            }
            model.train();
            for (int epoch = (resumeFrom?.Epoch ?? 0) + 1; epoch <= options.Epochs; epoch++)
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
                        observer.OnStepLoss(epoch, value);
                        observer.OnStep(epoch, Math.Min(start + options.BatchSize, count), count);
                    }
                }
                double seconds = clock.Elapsed.TotalSeconds;
                var record = new TorchEpochProgress(epoch, RunningMean(losses), epochLossSum / epochSteps, Accuracy(model, devX, devY), seconds,
                    Accuracy(model, testX, testY), TrainAccuracy: Accuracy(model, trainX, trainY));
                epochs.Add(record);
                if (observer.WantsCheckpoints)
                    observer.OnCheckpoint(Checkpoint(epoch, model, optimizer, losses));
                observer.OnEpoch(record);
            }

            int[] predictions = Predict(model, testX);
            return new TorchTrainingResult(epochs, epochs[^1].TestAccuracy, losses.Count, TorchModels.ExportParameters(model), predictions);
        }
    }

    private static TorchCheckpoint Checkpoint(int epoch, nn.Module model, optim.Optimizer optimizer, List<float> losses)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            Helper(optimizer).save_state_dict(writer);
        using var generator = random.get_rng_state();
        return new TorchCheckpoint(epoch, TorchModels.ExportParameters(model), stream.ToArray(), generator.data<byte>().ToArray(), [.. losses]);
    }

    private static void Restore(TorchCheckpoint checkpoint, nn.Module model, optim.Optimizer optimizer)
    {
        using (var noGrad = no_grad())
        {
            var parameters = model.named_parameters().ToList();
            if (parameters.Count != checkpoint.Parameters.Count)
                throw new ArgumentException($"The checkpoint holds {checkpoint.Parameters.Count} parameters, the model {parameters.Count}.", nameof(checkpoint));
            foreach (var ((name, parameter), saved) in parameters.Zip(checkpoint.Parameters))
            {
                if (name != saved.Name || !parameter.shape.SequenceEqual(saved.Shape))
                    throw new ArgumentException($"The checkpoint's parameter {saved.Name} [{string.Join(", ", saved.Shape)}] does not match the model's {name} [{string.Join(", ", parameter.shape)}].", nameof(checkpoint));
                using var values = tensor(saved.Data, parameter.shape, ScalarType.Float32);
                parameter.copy_(values);
            }
        }
        using (var reader = new BinaryReader(new MemoryStream(checkpoint.OptimizerState)))
            Helper(optimizer).load_state_dict(reader);
        using var generator = tensor(checkpoint.GeneratorState);
        random.set_rng_state(generator);
    }

    private static TorchSharp.Modules.OptimizerHelper Helper(optim.Optimizer optimizer) =>
        optimizer as TorchSharp.Modules.OptimizerHelper
            ?? throw new InvalidOperationException($"{optimizer.GetType().Name} cannot save its state.");

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
