using System.Globalization;
using System.Text.Json;
using ScratchNet.Data;
using ScratchNet.IO;
using ScratchNet.Models;

namespace ScratchNet.Runs;

/// <summary>
/// The <c>__metadata__</c> of <c>model.safetensors</c> (schema <c>scratchnet.model/1</c>): everything a client needs to
/// rebuild the model from that one file. Every value is a string (the safetensors spec); lists are JSON text.
/// <list type="bullet">
/// <item><c>model</c>: perceptron, logistic, mlp, linear or neural; <c>engine</c>: scratch or torch; <c>scratchnet_version</c>.</item>
/// <item><c>layer_sizes</c>: e.g. <c>[784,200,10]</c> (inputs, hidden…, outputs); <c>activation</c>: relu, tanh or none.</item>
/// <item><c>layers</c>: one <c>[weight, bias]</c> pair of tensor names per dense layer, in order; bias is null when
/// <c>bias_column</c> is <c>last</c> (the course's linear models: W is [out, in + 1] and x is extended by a trailing 1).</item>
/// <item><c>input_scale</c> and <c>input_scaling</c>: x = pixel × 1/256 (pixels 0–255, light garment on dark) for the
/// classifiers; the z-scored Ames features for the regressors.</item>
/// <item><c>class_names</c>: the output classes in order (empty for a regressor); <c>dropout</c>: training only, absent
/// at inference; <c>config_hash</c>.</item>
/// </list>
/// </summary>
public static class ModelMetadata
{
    public const string Schema = "scratchnet.model/1";

    public static readonly IReadOnlyList<string> FashionMnistClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public const string PixelScaling = "x = pixel / 256 (pixels 0..255 of a 28x28 grey image, light garment on a dark background, row-major)";
    public const string AmesScaling = "the Ames features z-scored over all 2930 rows (mean and sample standard deviation), in the order of scratchnet's Ames pipeline";

    /// <summary>The metadata of a trained model whose weights are <paramref name="tensors"/> (in parameter order).</summary>
    public static Dictionary<string, string> Describe(TrainingOptions options, IReadOnlyList<SafeTensor> tensors)
    {
        var layers = PairLayers(tensors);
        var biasColumn = layers.Count == 1 && layers[0].Bias is null;
        var sizes = new List<long> { layers[0].Weight.Shape[1] - (biasColumn ? 1 : 0) };
        sizes.AddRange(layers.Select(layer => layer.Weight.Shape[0]));
        var hasActivation = options.Model is ModelKind.Mlp or ModelKind.NeuralRegressor;
        return new Dictionary<string, string>
        {
            ["format"] = Schema,
            ["model"] = CliName(options.Model),
            ["engine"] = options.Engine == Engine.Torch ? "torch" : "scratch",
            ["scratchnet_version"] = RunEnvironment.Current().ScratchNet,
            ["dtype"] = tensors[0].DType,
            ["layer_sizes"] = JsonSerializer.Serialize(sizes),
            ["activation"] = hasActivation ? (options.Activation == Activation.Tanh ? "tanh" : "relu") : "none",
            ["layers"] = JsonSerializer.Serialize(layers.Select(layer => new[] { layer.Weight.Name, layer.Bias?.Name })),
            ["bias_column"] = biasColumn ? "last" : "none",
            ["input_scale"] = options.IsRegression ? "1" : LabeledImages.PixelScale.ToString("R", CultureInfo.InvariantCulture),
            ["input_scaling"] = options.IsRegression ? AmesScaling : PixelScaling,
            ["class_names"] = JsonSerializer.Serialize(options.IsRegression ? [] : FashionMnistClassNames),
            ["dropout"] = options.Dropout.ToString("R", CultureInfo.InvariantCulture),
            ["config_hash"] = options.ConfigHash(),
        };
    }

    /// <summary>The CLI's name of a model kind (<c>classify mlp</c>, <c>regress neural</c>).</summary>
    public static string CliName(ModelKind model) => model switch
    {
        ModelKind.LinearRegression => "linear",
        ModelKind.NeuralRegressor => "neural",
        ModelKind.Perceptron => "perceptron",
        ModelKind.LogisticRegression => "logistic",
        _ => "mlp",
    };

    // Scratch names: W (one layer with a bias column) or W1, b1, W2, b2, …; torch names: prefix.weight, prefix.bias.
    private static List<(SafeTensor Weight, SafeTensor? Bias)> PairLayers(IReadOnlyList<SafeTensor> tensors)
    {
        if (tensors.Count == 1)
            return [(tensors[0], null)];
        if (tensors.Count % 2 != 0 || tensors.Where((t, i) => i % 2 == 0 ? t.Shape.Length != 2 : t.Shape.Length != 1).Any())
            throw new ArgumentException($"Expected (weight [out, in], bias [out]) pairs; got {string.Join(", ", tensors.Select(t => t.Name))}.");
        return [.. Enumerable.Range(0, tensors.Count / 2).Select(i => (tensors[2 * i], (SafeTensor?)tensors[2 * i + 1]))];
    }
}
