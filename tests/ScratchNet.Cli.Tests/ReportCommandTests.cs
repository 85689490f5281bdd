using ScratchNet.Cli;
using ScratchNet.Runs;

namespace ScratchNet.Reports.Tests;

public sealed class ReportCommandTests : IDisposable
{
    private readonly TempFolder _temp = new("report-cli");

    public void Dispose() => _temp.Dispose();

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private string TwoMachines()
    {
        SyntheticRuns.Classifier(_temp.Sub("machine-a"), "q3.1a-perceptron", SyntheticRuns.Q3(ModelKind.Perceptron), 0.7126, 0.7013);
        SyntheticRuns.Classifier(_temp.Sub("machine-b"), "q3.1b-logistic", SyntheticRuns.Q3(ModelKind.LogisticRegression), 0.8503, 0.8403);
        return _temp.Sub("out");
    }

    [Fact]
    public void Report_merges_runs_from_several_folders_and_says_where_it_is()
    {
        var output = TwoMachines();
        var (code, stdout, stderr) = Run("report", "--runs", _temp.Sub("machine-a"), _temp.Sub("machine-b"), "--out", output);
        Assert.True(code == 0, stderr);
        Assert.Contains(Path.Combine(output, "report.html"), stdout, StringComparison.Ordinal);
        var markdown = File.ReadAllText(Path.Combine(output, "report.md"));
        Assert.Contains("| Q3.1a | q3.1a-perceptron | scratch | test accuracy | 0.7013 | 0.7013 | 0.0000 | printed digit | same |", markdown, StringComparison.Ordinal);
        Assert.Contains("| Q3.1b | q3.1b-logistic | scratch | test accuracy | 0.8403 | 0.8403 | 0.0000 | printed digit | same |", markdown, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "figures", "fig4-scratch.png")));
        Assert.True(File.Exists(Path.Combine(output, "figures", "fig5-scratch.svg")));
    }

    [Fact]
    public void Rerunning_replaces_the_report_and_leaves_no_temporary_folder()
    {
        var output = TwoMachines();
        Assert.Equal(0, Run("report", "--runs", _temp.Sub("machine-a"), "--out", output).Code);
        Assert.False(File.Exists(Path.Combine(output, "figures", "fig5-scratch.png")));
        Assert.Equal(0, Run("report", "--runs", _temp.Sub("machine-a"), _temp.Sub("machine-b"), "--out", output).Code);
        Assert.True(File.Exists(Path.Combine(output, "figures", "fig5-scratch.png")));
        Assert.Equal(["machine-a", "machine-b", "out"], Directory.GetDirectories(_temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void No_runs_exits_3_and_writes_nothing()
    {
        Directory.CreateDirectory(_temp.Sub("empty"));
        var (code, _, stderr) = Run("report", "--runs", _temp.Sub("empty"), "--out", _temp.Sub("out"));
        Assert.Equal(ExitCodes.Data, code);
        Assert.Contains("No run folders", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Sub("out")));
    }

    [Fact]
    public void A_corrupt_run_exits_3_naming_it_and_skip_bad_reports_the_rest_with_a_warning()
    {
        var output = TwoMachines();
        var bad = Path.Combine(_temp.Sub("machine-b"), "q3.1b-logistic-scratch", RunFolder.ManifestFile);
        File.WriteAllText(bad, "not json");

        var (code, _, stderr) = Run("report", "--runs", _temp.Sub("machine-a"), _temp.Sub("machine-b"), "--out", output);
        Assert.Equal(ExitCodes.Data, code);
        Assert.Contains(bad, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));

        (code, _, stderr) = Run("report", "--runs", _temp.Sub("machine-a"), _temp.Sub("machine-b"), "--out", output, "--skip-bad");
        Assert.Equal(0, code);
        Assert.Contains("warning: skipped", stderr, StringComparison.Ordinal);
        Assert.Contains("q3.1a-perceptron", File.ReadAllText(Path.Combine(output, "report.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void An_out_folder_that_is_not_a_report_is_left_alone()
    {
        TwoMachines();
        var precious = _temp.Sub("precious");
        Directory.CreateDirectory(precious);
        File.WriteAllText(Path.Combine(precious, "notes.txt"), "keep me");
        var (code, _, stderr) = Run("report", "--runs", _temp.Sub("machine-a"), "--out", precious);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("not a report folder", stderr, StringComparison.Ordinal);
        Assert.Equal(["notes.txt"], Directory.GetFiles(precious).Select(Path.GetFileName));
    }

    [Fact]
    public void Quick_labels_the_report_as_a_smoke_run()
    {
        var output = TwoMachines();
        var (code, stdout, _) = Run("report", "--runs", _temp.Sub("machine-a"), "--out", output, "--quick");
        Assert.Equal(0, code);
        Assert.Contains("Smoke run", stdout, StringComparison.Ordinal);
        Assert.Contains("Smoke run — numbers are not comparable with the report.", File.ReadAllText(Path.Combine(output, "report.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void Runs_is_required() => Assert.Equal(ExitCodes.Usage, Run("report").Code);
}
