using ScratchNet.Models;
using ScratchNet.Runs;

namespace ScratchNet.Tests.RunFolders;

public class TrainingOptionsTests
{
    private static readonly TrainingOptions Q3Mlp = Presets.For(ModelKind.Mlp, "q3");

    [Fact]
    public void Course_presets_carry_the_reports_settings()
    {
        var linear = Presets.For(ModelKind.LinearRegression, "q2");
        Assert.Equal((150, 0.001, InitKind.Zeros), (linear.Epochs, linear.LearningRate, linear.Init));
        Assert.Equal((200, InitKind.Course, Precision.Float64), (Q3Mlp.HiddenSize, Q3Mlp.Init, Q3Mlp.Precision));
        var q4 = Presets.For(ModelKind.Mlp, "q4");
        Assert.Equal((0.01, 0.3, Engine.Torch, 1), (q4.LearningRate, q4.Dropout, q4.Engine, q4.BatchSize));
    }

    [Fact]
    public void Unknown_preset_names_the_valid_ones()
    {
        var error = Assert.Throws<UsageException>(() => Presets.For(ModelKind.Mlp, "q9"));
        Assert.Contains("q2, q3, q4", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(TrainingOptions.LearningRate), "The learning rate 0 ")]
    [InlineData(nameof(TrainingOptions.Epochs), "The number of epochs 0 ")]
    [InlineData(nameof(TrainingOptions.Dropout), "The dropout probability 1 ")]
    [InlineData(nameof(TrainingOptions.HiddenSize), "The hidden size -3 ")]
    [InlineData(nameof(TrainingOptions.BatchSize), "The batch size 0 ")]
    public void Out_of_range_options_name_the_quantity_and_range_and_leave_the_flag_to_the_cli(string setting, string start)
    {
        var bad = setting switch
        {
            nameof(TrainingOptions.LearningRate) => Q3Mlp with { LearningRate = 0 },
            nameof(TrainingOptions.Epochs) => Q3Mlp with { Epochs = 0 },
            nameof(TrainingOptions.Dropout) => Q3Mlp with { Dropout = 1 },
            nameof(TrainingOptions.HiddenSize) => Q3Mlp with { HiddenSize = -3 },
            _ => Q3Mlp with { BatchSize = 0 },
        };
        var error = Assert.Throws<UsageException>(() => bad.Validate());
        Assert.StartsWith(start, error.Message, StringComparison.Ordinal);
        Assert.Contains("is out of range: expected", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("--", error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{{{setting}}} ", error.Template, StringComparison.Ordinal);
        var asTheCliPrintsIt = SettingNames.Render(error.Template!, name => name == setting ? "--flag" : null);
        Assert.StartsWith("--flag ", asTheCliPrintsIt, StringComparison.Ordinal);
        Assert.EndsWith(error.Message[error.Message.IndexOf(" is out of range", StringComparison.Ordinal)..], asTheCliPrintsIt, StringComparison.Ordinal);
    }

    [Fact]
    public void Torch_engine_only_trains_the_classifiers_it_implements()
    {
        Assert.Throws<UsageException>(() => (Presets.For(ModelKind.Perceptron, "q3") with { Engine = Engine.Torch }).Validate());
    }

    [Fact]
    public void Config_hash_changes_with_results_relevant_options_only()
    {
        Assert.Equal(Q3Mlp.ConfigHash(), (Q3Mlp with { Threads = 2, Preset = "renamed" }).ConfigHash());
        Assert.NotEqual(Q3Mlp.ConfigHash(), (Q3Mlp with { LearningRate = 0.01 }).ConfigHash());
        Assert.NotEqual(Q3Mlp.ConfigHash(), (Q3Mlp with { Seed = 43 }).ConfigHash());
        Assert.Equal(16, Q3Mlp.ConfigHash().Length);
    }
}
