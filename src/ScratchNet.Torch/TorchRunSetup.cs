using System.Numerics.Tensors;
using ScratchNet.Data;
using ScratchNet.Training;

namespace ScratchNet.Torch;

/// <summary>
/// From the CLI's resolved <see cref="TrainingOptions"/> and the Fashion-MNIST splits to the torch engine's inputs. Options
/// the torch engine does not implement are refused with a <see cref="UsageException"/> that names the option and the fix.
/// </summary>
public static class TorchRunSetup
{
    /// <summary>Maps <paramref name="options"/> (engine torch, logistic or mlp) onto <see cref="TorchRunOptions"/>.</summary>
    public static TorchRunOptions ToTorchOptions(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var model = options.Model switch
        {
            ModelKind.LogisticRegression => TorchModelKind.LogisticRegression,
            ModelKind.Mlp => TorchModelKind.FeedforwardNetwork,
            _ => throw new UsageException($"--engine torch trains the logistic and mlp classifiers only (got {options.Model}); use --engine scratch."),
        };
        if (options.Init != InitKind.Torch)
            throw new UsageException($"--init {options.Init.ToString().ToLowerInvariant()} is not implemented by --engine torch, which initialises every layer as PyTorch's nn.Linear does: use --init torch (or --preset q4, the course's PyTorch settings), or --engine scratch.");
        if (options.Precision != Precision.Float32)
            throw new UsageException("--precision float64 is not implemented by --engine torch, which trains in float32 as the course's PyTorch did: use --precision float32 (or --preset q4), or --engine scratch for float64.");
        if (model == TorchModelKind.LogisticRegression && options.Dropout > 0)
            throw new UsageException($"--dropout {options.Dropout.ToString(System.Globalization.CultureInfo.InvariantCulture)} has no layer to act on in logistic regression on --engine torch: use --dropout 0, or the mlp model.");
        return new TorchRunOptions
        {
            Model = model,
            Epochs = options.Epochs,
            LearningRate = options.LearningRate,
            BatchSize = options.BatchSize,
            HiddenSize = options.HiddenSize,
            Layers = options.Layers,
            Dropout = options.Dropout,
            Activation = options.Activation == Activation.Relu ? TorchActivation.Relu : TorchActivation.Tanh,
            Optimizer = options.Optimizer == OptimizerKind.Sgd ? TorchOptimizerKind.Sgd : TorchOptimizerKind.Adam,
            L2 = options.L2,
            Seed = options.Seed,
            Threads = options.Threads,
        };
    }

    /// <summary>The course's splits as float32 features (pixel × 1/256, no bias column); train cut to the first <paramref name="trainLimit"/>.</summary>
    public static TorchClassificationData ToTorchData(FashionMnist data, int? trainLimit)
    {
        ArgumentNullException.ThrowIfNull(data);
        var train = trainLimit is { } limit && limit < data.Train.Count ? data.Train.Take(limit) : data.Train;
        return new TorchClassificationData(train.Features, train.Classes, ToSplit(train), ToSplit(data.Dev), ToSplit(data.Test));
    }

    public static TorchSplit ToSplit(LabeledImages images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var features = new float[images.AllPixels.Length];
        TensorPrimitives.ConvertTruncating(images.AllPixels, features.AsSpan());
        TensorPrimitives.Multiply(features, (float)LabeledImages.PixelScale, features); // exact: 1/256 is a power of two
        var labels = new long[images.Count];
        TensorPrimitives.ConvertTruncating(images.Labels, labels.AsSpan());
        return new TorchSplit(features, labels);
    }
}
