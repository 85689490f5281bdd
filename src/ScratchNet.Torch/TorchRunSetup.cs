using System.Numerics.Tensors;
using ScratchNet.Data;
using ScratchNet.Models;
using ScratchNet.Randomness;
using ScratchNet.Runs;

namespace ScratchNet.Torch;

/// <summary>
/// From the CLI's resolved <see cref="TrainingOptions"/> and the Fashion-MNIST splits to the torch engine's inputs. Options
/// the torch engine does not implement are refused with a <see cref="UsageException"/> that names the option and the fix.
/// </summary>
public static class TorchRunSetup
{
    /// <summary>
    /// Returns <paramref name="options"/> (engine torch, logistic or mlp) validated, after refusing the settings the torch
    /// engine does not implement: it has only libtorch's stream, PyTorch's init and float32.
    /// </summary>
    public static TrainingOptions RequireSupported(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Model is not (ModelKind.LogisticRegression or ModelKind.Mlp))
            throw SettingNames.Error($"{{Engine}} torch trains the logistic and mlp classifiers only (got {options.Model}); use {{Engine}} scratch.");
        var unsupported = new List<string>();
        var here = RandomStreams.TorchEngineHere;
        if (options.Stream == RandomStream.Numpy)
            unsupported.Add($"{{Stream}} numpy (it draws from libtorch's own generator: use {{Stream}} {here.Text()}, or {{Engine}} scratch for numpy's stream)");
        else if (options.Stream != here)
            unsupported.Add($"{{Stream}} {options.Stream.Text()} on this {TorchBernoulliPaths.CpuVendor} CPU (libtorch draws Dropout's masks " +
                (here == RandomStream.TorchMkl ? "through MKL on an Intel CPU" : "element by element on a CPU not made by Intel") +
                $": use {{Stream}} {here.Text()}, or {{Engine}} scratch, which draws either on any CPU)");
        if (options.Init != InitKind.Torch)
            unsupported.Add($"{{Init}} {options.Init.ToString().ToLowerInvariant()} (it initialises every layer as PyTorch's nn.Linear does: use {{Init}} torch)");
        if (options.Precision != Precision.Float32)
            unsupported.Add("{Precision} float64 (it trains in float32 as the course's PyTorch did: use {Precision} float32)");
        if (options.Model == ModelKind.LogisticRegression && options.Dropout > 0)
            unsupported.Add($"{{Dropout}} {options.Dropout.ToString(System.Globalization.CultureInfo.InvariantCulture)} for logistic regression (no hidden layer to drop: use {{Dropout}} 0, or the mlp model)");
        if (unsupported.Count > 0)
            throw SettingNames.Error($"{{Engine}} torch does not implement {string.Join("; nor ", unsupported)}. The course's PyTorch settings are {{Preset}} q4; {{Engine}} scratch implements every option.");
        return options;
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
