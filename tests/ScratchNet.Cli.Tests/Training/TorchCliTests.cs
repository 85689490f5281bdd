using ScratchNet.IO;
using ScratchNet.Randomness;
using ScratchNet.Runs;
using ScratchNet.Tests.Reliability;

namespace ScratchNet.Tests.Training;

/// <summary>`classify logistic|mlp --engine torch` end to end: the same options, console lines and run folder as the scratch engine.</summary>
public sealed class TorchCliTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("scratchnet-torchcli-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Out(string name) => Path.Combine(_root, name);

    [Fact]
    public void Engine_torch_starts_from_the_q4_preset_and_prints_configuration_epochs_and_test_accuracy()
    {
        var (code, output, error) = CliRunner.Run("classify", "mlp", "--engine", "torch", "--epochs", "2", "--limit", "300", "--hidden", "32", "--out", Out("mlp"));

        Assert.True(code == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("run folder:", lines[0], StringComparison.Ordinal);
        var configuration = PrintedConfiguration.Read(output);
        Assert.Equal(("q4", "torch"), (configuration["preset"], configuration["engine"]));
        Assert.Equal(("0.01", "1", "32", "1", "relu", "0.3"),
            (configuration["lr"], configuration["batch-size"], configuration["hidden"], configuration["layers"], configuration["activation"], configuration["dropout"]));
        var epochs = PrintedConfiguration.EpochLines(output);
        Assert.Matches(@"^epoch 1/2  loss \d+\.\d{6}  train [01]\.\d{4}  dev 0\.\d{4}  test 0\.\d{4}  \d+\.\d\d s$", epochs[0]);
        Assert.StartsWith("epoch 2/2", epochs[1], StringComparison.Ordinal);
        var manifest = RunFolder.ReadManifest(Out("mlp"));
        Assert.Equal($"test accuracy: {manifest.Final["test_accuracy"]:F4}", epochs[2]);
        Assert.Equal((RunStatus.Completed, Engine.Torch, 2), (manifest.Status, manifest.Options.Engine, manifest.EpochsCompleted));
        Assert.InRange(manifest.Final["train_accuracy"], 0.1, 1); // measured on the 300 training examples after each epoch
        Assert.StartsWith("TorchSharp ", manifest.Environment.TorchSharp, StringComparison.Ordinal);
        Assert.Equal(["layers.0.weight", "layers.0.bias", "layers.3.weight", "layers.3.bias"],
            SafeTensors.Read(Path.Combine(Out("mlp"), RunFolder.ModelFile)).Select(t => t.Name));
        Assert.True(File.Exists(Path.Combine(Out("mlp"), RunFolder.PredictionsFile)));
    }

    [Theory]
    [InlineData("mlp", new[] { "--preset", "q3", "--engine", "torch" }, "--init course (")]
    [InlineData("mlp", new[] { "--preset", "q3", "--engine", "torch" }, "nor --precision float64")]
    [InlineData("logistic", new[] { "--engine", "torch", "--dropout", "0.5" }, "--dropout 0.5 does not apply to logistic")]
    [InlineData("perceptron", new[] { "--engine", "torch" }, "logistic and mlp classifiers only")]
    [InlineData("logistic", new[] { "--preset", "q4", "--resume" }, "checkpoint.safetensors does not exist (no epoch of this run finished)")]
    [InlineData("mlp", new[] { "--engine", "torch", "--stream", "numpy" }, "--stream numpy (it draws from libtorch's own generator")]
    public void Options_the_torch_engine_does_not_implement_are_refused_before_any_work(string model, string[] options, string message)
    {
        var (code, _, error) = CliRunner.Run(["classify", model, .. options, "--out", Out("never")]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out("never")), "nothing may be written for a rejected command");
    }

    [Theory]
    [InlineData(new[] { "--preset", "q4", "--engine", "scratch" }, RandomStream.Torch)]
    [InlineData(new[] { "--preset", "q4", "--engine", "scratch", "--stream", "torch-mkl" }, RandomStream.TorchMkl)]
    [InlineData(new[] { "--preset", "q4", "--engine", "scratch", "--stream", "numpy" }, RandomStream.Numpy)]
    [InlineData(new[] { "--preset", "q3" }, RandomStream.Numpy)]
    [InlineData(new[] { "--preset", "q3", "--stream", "torch" }, RandomStream.Torch)]
    public void Every_engine_records_its_random_stream_in_the_manifest(string[] options, RandomStream expected)
    {
        var folder = Out($"stream-{string.Join('-', options)}");
        var (code, _, error) = CliRunner.Run(["classify", "logistic", .. options, "--epochs", "1", "--limit", "200", "--out", folder]);

        Assert.True(code == 0, error);
        Assert.Equal(expected, RunFolder.ReadManifest(folder).Options.Stream);
        Assert.Contains($"\"stream\": \"{expected}\"", File.ReadAllText(Path.Combine(folder, RunFolder.ManifestFile)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_torch_engine_records_the_stream_of_this_cpu_and_refuses_the_other_dropout_path()
    {
        var here = RandomStreams.TorchEngineHere; // torch-mkl on an Intel CPU, torch on any other
        var folder = Out("stream-torch-engine");
        var (code, _, error) = CliRunner.Run("classify", "logistic", "--preset", "q4", "--engine", "torch", "--epochs", "1", "--limit", "200", "--out", folder);
        Assert.True(code == 0, error);
        Assert.Equal(here, RunFolder.ReadManifest(folder).Options.Stream);

        var other = here == RandomStream.Torch ? "torch-mkl" : "torch";
        var (refused, _, message) = CliRunner.Run("classify", "mlp", "--engine", "torch", "--stream", other, "--epochs", "1", "--limit", "200", "--out", Out("other-path"));
        Assert.Equal(ExitCodes.Usage, refused);
        Assert.Contains($"--stream {other} on this {TorchBernoulliPaths.CpuVendor} CPU", message, StringComparison.Ordinal);
        Assert.Contains($"use --stream {here.Text()}", message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out("other-path")), "nothing may be written for a rejected command");
    }

    [Fact]
    public void A_diverging_torch_run_exits_with_the_divergence_code_and_keeps_its_manifest()
    {
        var (code, _, error) = CliRunner.Run("classify", "mlp", "--preset", "q4", "--lr", "100", "--dropout", "0", "--layers", "3",
            "--epochs", "1", "--limit", "300", "--out", Out("diverged"));

        Assert.Equal(ExitCodes.Diverged, code);
        Assert.Contains("try a smaller learning rate (--lr is now 100)", error, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Diverged, RunFolder.ReadManifest(Out("diverged")).Status);
    }
}

/// <summary>Tests that set process-wide environment variables: run alone, never beside another test.</summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

/// <summary>As a reproduce/sweep worker, a training command reports `##progress DONE TOTAL` over the whole run's examples.</summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class WorkerProgressCliTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("scratchnet-worker-").FullName;

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(Cli.Experiments.WorkerProgress.Variable, null);
        Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData("torch")]
    [InlineData("scratch")]
    public void A_worker_reports_progress_lines_ending_at_the_total(string engine)
    {
        Environment.SetEnvironmentVariable(Cli.Experiments.WorkerProgress.Variable, "1");

        var (code, output, error) = CliRunner.Run("classify", "logistic", "--preset", "q4", "--engine", engine, "--epochs", "2", "--limit", "300",
            "--out", Path.Combine(_root, engine));

        Assert.True(code == 0, error);
        var progress = output.Split('\n').Where(line => line.StartsWith(Cli.Experiments.WorkerProgress.Prefix, StringComparison.Ordinal)).ToList();
        Assert.Contains("##progress 300 600", progress);
        Assert.Equal("##progress 600 600", progress[^1]);
    }
}
