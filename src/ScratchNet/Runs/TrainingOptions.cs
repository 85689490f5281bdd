using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ScratchNet.Models;
using ScratchNet.Randomness;

namespace ScratchNet.Runs;

/// <summary>The model a run trains.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelKind>))]
public enum ModelKind { LinearRegression, NeuralRegressor, Perceptron, LogisticRegression, Mlp }

/// <summary>Which implementation trains the model: hand-written C# or TorchSharp (libtorch autograd).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Engine>))]
public enum Engine { Scratch, Torch }

[JsonConverter(typeof(JsonStringEnumConverter<OptimizerKind>))]
public enum OptimizerKind { Sgd, Adam }

/// <summary>Float64 reproduces the course (numpy computed in float64); float32 is the fast path.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Precision>))]
public enum Precision { Float64, Float32 }

/// <summary>
/// The random stream a scratch-engine run draws its initial weights, epoch orders and dropout masks from:
/// <see cref="Numpy"/> (numpy's RandomState, the course's Questions 2–3), or libtorch's CPU generator and transforms
/// (Randomness.TorchGenerator, Question 4) with Dropout's masks as libtorch draws them on a CPU not made by Intel
/// (<see cref="Torch"/>) or on an Intel CPU, where the official build draws them with MKL (<see cref="TorchMkl"/>; the
/// course's PyTorch did). On the command line: numpy, torch, torch-mkl.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<RandomStream>))]
public enum RandomStream { Numpy, Torch, TorchMkl }

/// <summary>What a <see cref="RandomStream"/> means for the draws, and which one the torch engine has on this machine.</summary>
public static class RandomStreams
{
    /// <summary>True for the streams of libtorch's generator.</summary>
    public static bool IsTorch(this RandomStream stream) => stream is RandomStream.Torch or RandomStream.TorchMkl;

    /// <summary>The dropout path of a libtorch stream.</summary>
    public static TorchBernoulliPath BernoulliPath(this RandomStream stream) =>
        stream == RandomStream.TorchMkl ? TorchBernoulliPath.IntelMkl : TorchBernoulliPath.PerElement;

    /// <summary>The stream libtorch draws from on this machine, and so the torch engine's only one: torch-mkl on an Intel CPU, torch on any other.</summary>
    public static RandomStream TorchEngineHere =>
        TorchBernoulliPaths.ThisCpu == TorchBernoulliPath.IntelMkl ? RandomStream.TorchMkl : RandomStream.Torch;

    /// <summary>The command-line spelling: numpy, torch, torch-mkl.</summary>
    public static string Text(this RandomStream stream) => stream == RandomStream.TorchMkl ? "torch-mkl" : stream.ToString().ToLowerInvariant();
}

/// <summary>
/// Every setting of a training run, resolved: a preset's defaults overridden by the user's options. Immutable; two runs
/// with equal options (and data) give equal results, and <see cref="ConfigHash"/> names that configuration.
/// </summary>
public sealed record TrainingOptions
{
    public required ModelKind Model { get; init; }
    /// <summary>The preset the defaults came from (e.g. <c>q3</c>, <c>q4</c>); informational.</summary>
    public string Preset { get; init; } = "custom";
    public Engine Engine { get; init; } = Engine.Scratch;
    public int Epochs { get; init; } = 20;
    public double LearningRate { get; init; } = 0.001;
    public int BatchSize { get; init; } = 1;
    /// <summary>Units per hidden layer (neural regressor and MLP).</summary>
    public int HiddenSize { get; init; } = 200;
    public int Layers { get; init; } = 1;
    public Activation Activation { get; init; } = Activation.Relu;
    public double Dropout { get; init; }
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;
    /// <summary>L2 weight decay added to the gradient (PyTorch's <c>weight_decay</c>).</summary>
    public double L2 { get; init; }
    public InitKind Init { get; init; } = InitKind.Zeros;
    public int Seed { get; init; } = 42;
    /// <summary>The random stream (numpy's or libtorch's) the run's draws come from; the torch engine has only libtorch's.</summary>
    public RandomStream Stream { get; init; } = RandomStream.Numpy;
    public Precision Precision { get; init; } = Precision.Float64;
    /// <summary>Ridge term λ of the analytic linear-regression solution (XᵀX + λI)⁻¹Xᵀy.</summary>
    public double RidgeLambda { get; init; } = 1e-4;
    /// <summary>Use only the first N training examples (smoke runs); null = all.</summary>
    public int? TrainLimit { get; init; }
    /// <summary>Threads for the engine's kernels (libtorch's intra-op threads for the torch engine).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>True for the regression models (Ames), false for the classifiers (Fashion-MNIST).</summary>
    [JsonIgnore]
    public bool IsRegression => Model is ModelKind.LinearRegression or ModelKind.NeuralRegressor;

    /// <summary>
    /// These settings on <paramref name="engine"/>. On the torch engine a libtorch stream becomes this CPU's
    /// (<see cref="RandomStreams.TorchEngineHere"/>): libtorch, not the run, chooses how Dropout draws.
    /// </summary>
    public TrainingOptions OnEngine(Engine engine) =>
        this with { Engine = engine, Stream = engine == Engine.Torch && Stream.IsTorch() ? RandomStreams.TorchEngineHere : Stream };

    /// <summary>Throws a <see cref="UsageException"/> naming the first option outside its valid range.</summary>
    public TrainingOptions Validate()
    {
        foreach (var option in OptionTable.All)
            option.Validate(this);
        if (Engine == Engine.Torch && Model is not (ModelKind.LogisticRegression or ModelKind.Mlp))
            throw SettingNames.Error($"{{Engine}} torch trains the logistic and mlp classifiers only (got {Model}); use {{Engine}} scratch.");
        if (Stream.IsTorch() && Engine == Engine.Scratch && Model is not (ModelKind.LogisticRegression or ModelKind.Mlp))
            throw SettingNames.Error($"{{Stream}} {Stream.Text()} draws as PyTorch's nn.Linear classifiers do: the logistic and mlp models only (got {Model}); use {{Stream}} numpy.");
        if (Stream.IsTorch() && Engine == Engine.Scratch && Init == InitKind.Course)
            throw SettingNames.Error($"{{Init}} course draws N(0.1, 0.1) from numpy's stream, which {{Stream}} {Stream.Text()} does not have; use {{Init}} torch (or zeros), or {{Stream}} numpy.");
        return this;
    }

    /// <summary>
    /// Throws a <see cref="UsageException"/> when a batch would hold more examples than the training set has (after
    /// the training-example limit); called once the data are loaded, before any run folder is made.
    /// </summary>
    public TrainingOptions ValidateBatchSize(int trainingExamples)
    {
        var source = TrainLimit is null ? "the training examples" : "the training examples left by {TrainLimit}";
        Require(BatchSize <= trainingExamples, nameof(BatchSize), BatchSize, $"an integer from 1 to {trainingExamples} ({source})");
        return this;
    }

    /// <summary>
    /// A short stable hash of every option that changes the result (not <see cref="Threads"/>, which never does on the
    /// scratch engine, nor <see cref="Preset"/>): equal hashes mean the same experiment. <see cref="Stream"/> enters
    /// only when it is not numpy's, so the hashes of runs made before the option existed stay what they were.
    /// </summary>
    public string ConfigHash()
    {
        var canonical = JsonSerializer.Serialize(this with { Threads = 1, Preset = "" }, HashJson);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
        return Convert.ToHexStringLower(digest)[..16];
    }

    private static readonly JsonSerializerOptions HashJson = new(RunJson.Options)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitNumpyStream } },
    };

    private static void OmitNumpyStream(JsonTypeInfo info)
    {
        if (info.Type != typeof(TrainingOptions))
            return;
        foreach (var property in info.Properties.Where(p => p.PropertyType == typeof(RandomStream)))
            property.ShouldSerialize = (_, value) => value is RandomStream stream && stream != RandomStream.Numpy;
    }

    // The message names the setting as a quantity; its template lets the CLI name it by its flag.
    private static void Require(bool valid, string setting, object value, string range)
    {
        if (!valid)
            throw SettingNames.Error($"{{{setting}}} {Format(value)} is out of range: expected {range}.");
    }

    private static string Format(object value) => value is IFormattable f ? f.ToString(null, System.Globalization.CultureInfo.InvariantCulture) : value.ToString() ?? "";
}
