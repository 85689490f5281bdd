using System.Text.Json;
using ScratchNet.Models;
using ScratchNet.Runs;

namespace ScratchNet.Tests.Training;

/// <summary>
/// The option table (<see cref="OptionTable"/>) is the one definition of every training option: it must cover every
/// setting of <see cref="TrainingOptions"/>, give each preset exactly the options the presets had when they were
/// written out by hand (so config hashes and run folders stay what they were), and read back every value it writes.
/// </summary>
public class OptionTableTests
{
    // The presets as they were written out record by record before the table (commit b2c43cf): the oracle.
    public static TheoryData<ModelKind, string, TrainingOptions> HandWrittenPresets() => new()
    {
        { ModelKind.LinearRegression, "q2", new() { Model = ModelKind.LinearRegression, Preset = "q2", Epochs = 150, LearningRate = 0.001, Init = InitKind.Zeros } },
        { ModelKind.NeuralRegressor, "q2", new() { Model = ModelKind.NeuralRegressor, Preset = "q2", Epochs = 150, LearningRate = 0.001, HiddenSize = 150, Init = InitKind.Course } },
        { ModelKind.Perceptron, "q3", new() { Model = ModelKind.Perceptron, Preset = "q3", Epochs = 20, LearningRate = 1, Init = InitKind.Zeros } },
        { ModelKind.LogisticRegression, "q3", new() { Model = ModelKind.LogisticRegression, Preset = "q3", Epochs = 20, LearningRate = 0.001, Init = InitKind.Zeros } },
        { ModelKind.Mlp, "q3", new() { Model = ModelKind.Mlp, Preset = "q3", Epochs = 20, LearningRate = 0.001, HiddenSize = 200, Init = InitKind.Course } },
        { ModelKind.LogisticRegression, "q4", Q4(ModelKind.LogisticRegression, dropout: 0) },
        { ModelKind.Mlp, "q4", Q4(ModelKind.Mlp, dropout: 0.3) },
    };

    private static TrainingOptions Q4(ModelKind model, double dropout) => new()
    {
        Model = model, Preset = "q4", Engine = Engine.Torch, Epochs = 20, LearningRate = 0.01, BatchSize = 1, HiddenSize = 200,
        Layers = 1, Dropout = dropout, Activation = Activation.Relu, Optimizer = OptimizerKind.Sgd,
        L2 = 0, Init = InitKind.Torch, Precision = Precision.Float32, Stream = RandomStream.Torch,
    };

    [Theory]
    [MemberData(nameof(HandWrittenPresets))]
    public void Each_preset_is_the_hand_written_record_with_the_same_config_hash(ModelKind model, string preset, TrainingOptions expected)
    {
        var fromTable = Presets.For(model, preset);

        Assert.Equal(expected, fromTable);
        Assert.Equal(expected.ConfigHash(), fromTable.ConfigHash());
    }

    [Fact]
    public void A_preset_without_settings_for_the_model_or_an_unknown_one_is_refused()
    {
        var noSettings = Assert.Throws<UsageException>(() => Presets.For(ModelKind.Perceptron, "q4"));
        var unknown = Assert.Throws<UsageException>(() => Presets.For(ModelKind.Mlp, "q9"));

        Assert.Equal("The preset q4 has no settings for Perceptron: use q3.", noSettings.Message);
        Assert.Equal("--preset q4 has no settings for Perceptron: use q3.", WithFlags(noSettings));
        Assert.Equal("The preset 'q9' is unknown: expected one of q2, q3, q4.", unknown.Message);
        Assert.Equal("--preset 'q9' is unknown: expected one of q2, q3, q4.", WithFlags(unknown));
    }

    [Fact]
    public void Every_setting_of_the_options_record_has_one_row_named_as_its_manifest_key()
    {
        var manifestKeys = JsonSerializer.SerializeToElement(Presets.For(ModelKind.Mlp, "q3") with { TrainLimit = 5 }, RunJson.Options)
            .EnumerateObject().Select(p => p.Name).Where(name => name is not ("model" or "preset")).Order();

        Assert.Equal(manifestKeys, OptionTable.All.Select(o => o.ManifestName).Order());
        Assert.Equal(OptionTable.All.Count, OptionTable.All.Select(o => o.Name).Distinct().Count());
    }

    [Theory]
    [InlineData(ModelKind.Mlp, "q4")]
    [InlineData(ModelKind.LinearRegression, "q2")]
    public void Every_value_written_as_text_reads_back_to_the_same_options(ModelKind model, string preset)
    {
        var options = Presets.For(model, preset) with { LearningRate = 0.1 + 0.2, TrainLimit = 123, Threads = 2 };
        foreach (var row in OptionTable.All)
        {
            Assert.True(row.TryWith(Presets.For(model, preset), row.Text(options), out var read), row.Name);
            Assert.Equal(row.Text(options), row.Text(read));
        }
        var all = OptionTable.All.Aggregate(Presets.For(model, preset), (o, row) => row.TryWith(o, row.Text(options), out var read) ? read : o);
        Assert.Equal(options, all);
    }

    [Fact]
    public void Every_choice_of_every_enum_option_reads_back_as_written_and_words_are_joined_by_a_hyphen()
    {
        var basis = Presets.For(ModelKind.Mlp, "q4");
        foreach (var row in OptionTable.All.Where(r => r.Choices.Count > 0))
        {
            foreach (var choice in row.Choices)
            {
                Assert.True(row.TryWith(basis, choice, out var read), $"{row.Name} {choice}");
                Assert.Equal(choice, row.Text(read));
                Assert.True(row.TryWith(basis, choice.ToUpperInvariant(), out var upper), $"{row.Name} {choice.ToUpperInvariant()}");
                Assert.Equal(choice, row.Text(upper));
            }
        }
        Assert.Equal(["numpy", "torch", "torch-mkl"], OptionTable.Get("stream").Choices);
        Assert.True(OptionTable.Get("stream").TryWith(basis, "torch-mkl", out var mkl));
        Assert.Equal(RandomStream.TorchMkl, mkl.Stream);
        Assert.False(OptionTable.Get("stream").TryWith(basis, "torchmkl", out _));
    }

    [Theory]
    [InlineData("lr", "0.01x", "a number")]
    [InlineData("epochs", "2.5", "an integer")]
    [InlineData("activation", "sigmoid", "one of relu, tanh")]
    [InlineData("optimizer", "1", "one of sgd, adam")]
    public void A_value_that_is_not_of_the_options_kind_is_not_read(string name, string text, string expected)
    {
        var row = OptionTable.Get(name);

        Assert.False(row.TryWith(Presets.For(ModelKind.Mlp, "q3"), text, out _));
        Assert.Equal(expected, row.Expected);
    }

    [Fact]
    public void Out_of_range_values_are_named_with_their_quantity_in_the_core_and_their_flag_on_the_command_line()
    {
        var q3 = Presets.For(ModelKind.Mlp, "q3");
        var dropout = Assert.Throws<UsageException>(() => (q3 with { Dropout = 1 }).Validate());
        var limit = Assert.Throws<UsageException>(() => (q3 with { TrainLimit = 0 }).Validate());
        var lr = Assert.Throws<UsageException>(() => (q3 with { LearningRate = double.NaN }).Validate());

        Assert.Equal("The dropout probability 1 is out of range: expected a probability in [0, 1).", dropout.Message);
        Assert.Equal("--dropout 1 is out of range: expected a probability in [0, 1).", WithFlags(dropout));
        Assert.Equal("The training-example limit 0 is out of range: expected an integer ≥ 1.", limit.Message);
        Assert.Equal("--limit 0 is out of range: expected an integer ≥ 1.", WithFlags(limit));
        Assert.Equal("The learning rate NaN is out of range: expected a number in (0, 100].", lr.Message);
        Assert.Equal("--lr NaN is out of range: expected a number in (0, 100].", WithFlags(lr));
    }

    // the message as the CLI renders it: each {Property} of the template named by its row's flag
    private static string WithFlags(UsageException error) =>
        SettingNames.Render(Assert.IsType<string>(error.Template),
            property => property == nameof(TrainingOptions.Preset) ? "--preset" : OptionTable.All.FirstOrDefault(row => row.Property == property)?.Flag);
}
