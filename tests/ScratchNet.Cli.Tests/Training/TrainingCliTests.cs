using ScratchNet.IO;
using ScratchNet.Runs;
using ScratchNet.Tests.Reliability;

namespace ScratchNet.Tests.Training;

/// <summary>`regress` and `classify` end to end on the real data, kept small with --limit and few epochs.</summary>
public sealed class TrainingCliTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("scratchnet-cli-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Out(string name) => Path.Combine(_root, name);

    [Theory]
    [InlineData("classify", "mlp", "--lr", "0", "--lr 0 is out of range")]
    [InlineData("classify", "mlp", "--dropout", "1", "--dropout 1 is out of range")]
    [InlineData("classify", "mlp", "--epochs", "0", "--epochs 0 is out of range")]
    [InlineData("regress", "neural", "--batch-size", "0", "--batch-size 0 is out of range")]
    [InlineData("classify", "mlp", "--activation", "sigmoid", "sigmoid")]
    public void Out_of_range_options_are_rejected_before_any_work(string verb, string model, string option, string value, string message)
    {
        var (code, _, error) = CliRunner.Run(verb, model, option, value, "--out", Out("never"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out("never")), "nothing may be written for a rejected command");
    }

    [Fact]
    public void Classify_prints_its_configuration_then_one_line_per_epoch_and_writes_the_run_folder()
    {
        var (code, output, error) = CliRunner.Run("classify", "logistic", "--epochs", "2", "--limit", "500", "--out", Out("logistic"));
        Assert.True(code == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("run folder:", lines[0], StringComparison.Ordinal);
        var configuration = PrintedConfiguration.Read(output);
        Assert.Equal(("logistic", "0.001", "500 training examples"), (configuration["model"], configuration["lr"], configuration["limit"]));
        var epochs = PrintedConfiguration.EpochLines(output);
        Assert.StartsWith("epoch 1/2", epochs[0], StringComparison.Ordinal);
        Assert.Contains(" dev 0.", epochs[1], StringComparison.Ordinal);
        var manifest = RunFolder.ReadManifest(Out("logistic"));
        Assert.Equal(RunStatus.Completed, manifest.Status);
        Assert.Equal(500, manifest.Options.TrainLimit);
        Assert.Equal(4, manifest.Data!.Sha256.Count);
        Assert.Equal([10L, 785L], SafeTensors.Read(Path.Combine(Out("logistic"), RunFolder.ModelFile))[0].Shape);
    }

    [Fact]
    public void The_perceptron_steps_by_1_as_the_course_so_its_arithmetic_stays_exact()
    {
        var (code, output, error) = CliRunner.Run("classify", "perceptron", "--epochs", "1", "--limit", "300", "--out", Out("perceptron"));
        Assert.True(code == 0, error);
        Assert.Equal("1", PrintedConfiguration.Read(output)["lr"]);
    }

    [Fact]
    public void Resume_on_the_command_line_finishes_identical_to_an_uninterrupted_run()
    {
        string[] common = ["classify", "mlp", "--limit", "400", "--hidden", "32", "--dropout", "0.2", "--batch-size", "4", "--precision", "float32"];
        Assert.Equal(0, CliRunner.Run([.. common, "--epochs", "3", "--out", Out("whole")]).Code);
        Assert.Equal(0, CliRunner.Run([.. common, "--epochs", "1", "--out", Out("split")]).Code);
        // the run's options repeated are no conflict; the old form --resume --out DIR still works; --extend-to adds epochs
        var (code, output, _) = CliRunner.Run([.. common, "--extend-to", "3", "--resume", "--out", Out("split")]);
        Assert.Equal(0, code);
        Assert.DoesNotContain("epoch 1/3", output, StringComparison.Ordinal); // epoch 1 came from the checkpoint
        Assert.Equal(File.ReadAllBytes(Path.Combine(Out("whole"), RunFolder.ModelFile)), File.ReadAllBytes(Path.Combine(Out("split"), RunFolder.ModelFile)));
    }

    [Fact]
    public void A_diverging_regression_exits_4_with_a_hint()
    {
        var (code, _, error) = CliRunner.Run("regress", "linear", "--lr", "5", "--epochs", "3", "--ames", Data.RealData.RequireAmes(), "--out", Out("diverged"));
        Assert.Equal(ExitCodes.Diverged, code);
        Assert.Contains("try a smaller learning rate (--lr).", error, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Diverged, RunFolder.ReadManifest(Out("diverged")).Status);
    }
}
