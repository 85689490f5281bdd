using ScratchNet.Tests.Data;
using ScratchNet.Training;

namespace ScratchNet.Tests.Reliability;

/// <summary>
/// The CLI as a person at a terminal sees it: each command under a pseudo-terminal (<see cref="TerminalProcess"/>),
/// where the live progress bars run (redirected output takes another path, which the other CLI tests cover). Each case
/// asserts the exit code and the text on the screen; none may show an internal error.
/// </summary>
public sealed class TerminalTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("scratchnet-terminal-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static void AssertClean(TerminalProcess run)
    {
        Assert.DoesNotContain("internal error", run.Screen, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Screen, StringComparison.Ordinal); // a stack trace's frames
    }

    [Theory]
    [InlineData("perceptron")]
    [InlineData("logistic")]
    [InlineData("mlp")]
    public void Classify_trains_under_a_terminal_with_live_progress(string model)
    {
        var data = RealData.RequireFashionMnist();
        var folder = Path.Combine(_root, model);
        var run = TerminalProcess.Run(_root, ["classify", model, "--epochs", "2", "--limit", "300", .. model == "mlp" ? ["--hidden", "16"] : Array.Empty<string>(), "--data-dir", data, "--out", folder]);

        Assert.True(run.ExitCode == 0, run.ToString());
        AssertClean(run);
        Assert.Contains("epoch 1/2", run.Screen, StringComparison.Ordinal);
        Assert.Contains("━", run.Raw, StringComparison.Ordinal); // the live progress bar was drawn
        Assert.Matches(@"epoch 2/2 +loss [0-9.]+ +train [01]\.[0-9]{4} +dev 0\.[0-9]{4} +test 0\.[0-9]{4}", run.Screen);
        Assert.Contains("test accuracy: 0.", run.Screen, StringComparison.Ordinal);
        Assert.Contains($"done: 2 epochs", run.Screen, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Completed, RunFolder.ReadManifest(folder).Status);
    }

    [Fact]
    public void Classify_in_a_narrow_terminal_still_prints_every_epoch()
    {
        var data = RealData.RequireFashionMnist();
        var run = TerminalProcess.Run(_root, ["classify", "logistic", "--epochs", "2", "--limit", "300", "--data-dir", data, "--out", Path.Combine(_root, "narrow")], columns: 40);

        Assert.True(run.ExitCode == 0, run.ToString());
        AssertClean(run);
        Assert.Contains("epoch 2/2", run.Screen, StringComparison.Ordinal);
        Assert.Contains("done: 2 epochs", run.Screen, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctrl_c_at_a_terminal_stops_the_run_after_a_finished_epoch_and_says_how_to_resume()
    {
        var data = RealData.RequireFashionMnist();
        var folder = Path.Combine(_root, "interrupted");
        var run = TerminalProcess.Run(_root,
            ["classify", "mlp", "--epochs", "9", "--limit", "10000", "--hidden", "32", "--lr", "0.01", "--data-dir", data, "--out", folder],
            interruptAfter: "epoch 1/9  loss");

        Assert.True(run.ExitCode == ExitCodes.Interrupted, run.ToString());
        AssertClean(run);
        Assert.Contains("interrupted after", run.Screen, StringComparison.Ordinal);
        Assert.Contains("--resume", run.Screen, StringComparison.Ordinal);
        var manifest = RunFolder.ReadManifest(folder);
        Assert.Equal(RunStatus.Interrupted, manifest.Status);
        Assert.InRange(manifest.EpochsCompleted, 1, 8);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("version")]
    [InlineData("calculus", "--points", "3")]
    [InlineData("classify", "--help")]
    public void Other_commands_run_cleanly_under_a_terminal(params string[] arguments)
    {
        var run = TerminalProcess.Run(_root, arguments);

        Assert.True(run.ExitCode == 0, run.ToString());
        AssertClean(run);
        Assert.NotEmpty(run.Screen.Trim());
    }

    [Fact]
    public void Data_info_under_a_terminal_names_fashion_mnist()
    {
        var run = TerminalProcess.Run(_root, ["data", "info", "--data-dir", RealData.RequireFashionMnist()]);

        AssertClean(run);
        Assert.Contains("Fashion-MNIST", run.Screen, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_option_under_a_terminal_is_one_clear_error_with_exit_2()
    {
        var run = TerminalProcess.Run(_root, ["classify", "mlp", "--epochs", "zero"]);

        Assert.True(run.ExitCode == ExitCodes.Usage, run.ToString());
        AssertClean(run);
        Assert.Contains("--epochs", run.Screen, StringComparison.Ordinal);
    }
}
