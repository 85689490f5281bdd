using ScratchNet.Runs;
using ScratchNet.Tests.Data;

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

        // The way the message says: only the folder, every option from the manifest, from another working directory.
        var resumed = TerminalProcess.Run(Path.GetTempPath(), ["classify", "mlp", "--resume", folder, "--data-dir", data]);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        AssertClean(resumed);
        Assert.Contains("epoch 9/9", resumed.Screen, StringComparison.Ordinal);
        Assert.Equal((RunStatus.Completed, 9), (RunFolder.ReadManifest(folder).Status, RunFolder.ReadManifest(folder).EpochsCompleted));
        var again = TerminalProcess.Run(_root, ["classify", "mlp", "--resume", folder]);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("is finished (9 of 9 epochs); nothing to train", again.Screen, StringComparison.Ordinal);
    }

    [Fact]
    public void Regress_finds_the_bundled_ames_from_any_folder_and_trains_under_a_terminal()
    {
        RealData.RequireAmes();
        var folder = Path.Combine(_root, "linear");
        var run = TerminalProcess.Run(_root, ["regress", "linear", "--epochs", "2", "--out", folder]);

        Assert.True(run.ExitCode == 0, run.ToString());
        AssertClean(run);
        Assert.Matches(@"epoch 2/2 +loss [0-9.]+ +train_rmse [0-9.]+ +test_rmse [0-9.]+", run.Screen);
        var manifest = RunFolder.ReadManifest(folder);
        Assert.Equal(RunStatus.Completed, manifest.Status);
        Assert.Contains("AmesHousing.csv.gz", manifest.Data!.Sha256.Keys);
    }

    [Fact]
    public void Sweep_report_export_and_predict_chain_under_a_terminal()
    {
        var data = RealData.RequireFashionMnist();
        var sweep = Path.Combine(_root, "sweep");
        var run = TerminalProcess.Run(_root, ["sweep", "logistic", "--grid", "lr=0.001,0.01", "--epochs", "1", "--limit", "300", "--data-dir", data, "--out", sweep]);
        Assert.True(run.ExitCode == 0, run.ToString());
        AssertClean(run);
        Assert.Contains("sweep: 2 runs of logistic", run.Screen, StringComparison.Ordinal);
        Assert.Contains("Ranked table:", run.Screen, StringComparison.Ordinal);

        var report = TerminalProcess.Run(_root, ["report", "--runs", sweep, "--out", Path.Combine(_root, "report")]);
        Assert.True(report.ExitCode == 0, report.ToString());
        AssertClean(report);
        Assert.True(File.Exists(Path.Combine(_root, "report", "report.html")), report.ToString());

        var best = Directory.GetDirectories(Path.Combine(sweep, "runs", "scratch"))[0];
        var export = TerminalProcess.Run(_root, ["export", best, "--format", "onnx", "--out", Path.Combine(_root, "model.onnx")]);
        Assert.True(export.ExitCode == 0, export.ToString());
        AssertClean(export);
        Assert.True(new FileInfo(Path.Combine(_root, "model.onnx")).Length > 0);

        var predict = TerminalProcess.Run(_root, ["predict", best, Path.Combine(data, "t10k-images-idx3-ubyte.gz"), "--range", "0:2"]);
        Assert.True(predict.ExitCode == 0, predict.ToString());
        AssertClean(predict);
        Assert.Matches(@"t10k-images-idx3-ubyte\.gz\[1\]: [A-Za-z -]+ [01]\.[0-9]{3}, ", predict.Screen);
    }

    [Fact]
    public void Reproduce_quick_shows_its_progress_under_a_terminal_and_lists_its_plan()
    {
        RealData.RequireFashionMnist();
        var list = TerminalProcess.Run(_root, ["reproduce", "--list"]);
        Assert.True(list.ExitCode == 0, list.ToString());
        AssertClean(list);
        Assert.Contains("./scratchnet classify mlp", list.Screen, StringComparison.Ordinal);

        var run = TerminalProcess.Run(_root, ["reproduce", "--quick", "--out", Path.Combine(_root, "quick")]);
        Assert.True(run.ExitCode == 0, run.ToString());
        AssertClean(run);
        Assert.Contains("QUICK smoke run", run.Screen, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_root, "quick", "report", "report.html")), run.ToString());
    }

    [Fact]
    public void Data_fetch_keeps_files_already_present_and_bench_quick_runs_under_a_terminal()
    {
        var data = RealData.RequireFashionMnist();
        var fetch = TerminalProcess.Run(_root, ["data", "fetch", "--data-dir", data]);
        Assert.True(fetch.ExitCode == 0, fetch.ToString());
        AssertClean(fetch);
        Assert.Contains("present, checksum ok", fetch.Screen, StringComparison.Ordinal);

        var bench = TerminalProcess.Run(_root, ["bench", "--quick", "--skip-reproduce", "--out", Path.Combine(_root, "bench")]);
        Assert.True(bench.ExitCode == 0, bench.ToString());
        AssertClean(bench);
        Assert.Single(Directory.GetFiles(Path.Combine(_root, "bench"), "bench-*.csv"));
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
