using ScratchNet.Data;
using ScratchNet.Models;
using ScratchNet.Runs;

namespace ScratchNet.Torch.Tests;

public class TorchRunSetupTests
{
    [Theory]
    [InlineData(ModelKind.Mlp)]
    [InlineData(ModelKind.LogisticRegression)]
    public void The_q4_preset_is_what_the_engine_implements(ModelKind model)
    {
        var options = Presets.For(model, "q4").OnEngine(Engine.Torch);

        Assert.Same(options, TorchRunSetup.RequireSupported(options));
    }

    [Theory]
    [InlineData(ModelKind.Mlp, InitKind.Course, Precision.Float32, 0.0, "{Init} course", "{Init} torch")]
    [InlineData(ModelKind.LogisticRegression, InitKind.Zeros, Precision.Float32, 0.0, "{Init} zeros", "{Preset} q4")]
    [InlineData(ModelKind.Mlp, InitKind.Course, Precision.Float64, 0.0, "{Init} course (", "; nor {Precision} float64")]
    [InlineData(ModelKind.Mlp, InitKind.Torch, Precision.Float64, 0.0, "{Precision} float64", "{Precision} float32")]
    [InlineData(ModelKind.LogisticRegression, InitKind.Torch, Precision.Float32, 0.3, "{Dropout} 0.3", "{Dropout} 0")]
    [InlineData(ModelKind.Perceptron, InitKind.Torch, Precision.Float32, 0.0, "logistic and mlp", "use {Engine} scratch")] // TrainingOptions.Validate
    public void Options_the_engine_does_not_implement_are_refused_naming_the_option_and_the_fix(
        ModelKind model, InitKind init, Precision precision, double dropout, string names, string fix)
    {
        var options = new TrainingOptions { Model = model, Engine = Engine.Torch, Init = init, Precision = precision, Dropout = dropout };

        var error = Assert.Throws<UsageException>(() => TorchRunSetup.RequireSupported(options));

        // The template names each setting by placeholder (the CLI prints its flag: "--init course"); the message, by quantity.
        Assert.Contains(names, error.Template, StringComparison.Ordinal);
        Assert.Contains(fix, error.Template, StringComparison.Ordinal);
        Assert.Equal(SettingNames.Message(error.Template!), error.Message);
        Assert.DoesNotContain("{", error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
    }

    [Fact]
    public void Splits_become_pixels_over_256_and_long_labels_and_the_limit_cuts_only_the_training_set()
    {
        const int features = 3;
        LabeledImages Images(params byte[] labels) =>
            new(labels.SelectMany((label, i) => new[] { (byte)(i * 7), (byte)255, label }).ToArray(), labels, features);
        var data = new FashionMnist(Images(1, 2, 0, 9), Images(4, 5), Images(6, 7, 8), "/data");

        var torch = TorchRunSetup.ToTorchData(data, trainLimit: 2);

        Assert.Equal([0f, 255 / 256f, 1 / 256f, 7 / 256f, 255 / 256f, 2 / 256f], torch.Train.Features);
        Assert.Equal(new long[] { 1, 2 }, torch.Train.Labels);
        Assert.Equal(new long[] { 4, 5 }, torch.Dev.Labels);
        Assert.Equal(new long[] { 6, 7, 8 }, torch.Test.Labels);
        Assert.Equal(14 / 256f, torch.Test.Features[2 * features]);
        Assert.Equal((features, 10), (torch.Features, torch.Classes));
        Assert.Equal(4, TorchRunSetup.ToTorchData(data, trainLimit: null).Train.Count);
        Assert.Equal(4, TorchRunSetup.ToTorchData(data, trainLimit: 100).Train.Count);
    }
}
