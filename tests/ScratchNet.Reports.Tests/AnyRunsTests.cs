using System.Text.RegularExpressions;
using ScratchNet.Runs;

namespace ScratchNet.Reports.Tests;

/// <summary><c>report --runs</c> on runs that are not the homework: a sweep and a run of one's own.</summary>
public sealed class AnyRunsTests : IDisposable
{
    private readonly TempFolder _temp = new("any-runs");

    public void Dispose() => _temp.Dispose();

    /// <summary>A sweep folder as <c>sweep</c> writes it: <c>sweep.csv</c> and <c>runs/scratch/NAME</c>.</summary>
    private string Sweep(string name, int epochs = 3)
    {
        var sweep = _temp.Sub(name);
        Directory.CreateDirectory(sweep);
        File.WriteAllText(Path.Combine(sweep, RunGroup.SweepTable), "rank,name\n");
        var runs = Path.Combine(sweep, "runs", "scratch");
        var mlp = SyntheticRuns.Q3(ModelKind.Mlp) with { Epochs = epochs };
        SyntheticRuns.Classifier(runs, "base", mlp, 0.85, 0.84);
        SyntheticRuns.Classifier(runs, "lr0.01", mlp with { LearningRate = 0.01 }, 0.86, 0.85);
        SyntheticRuns.Classifier(runs, "hidden100", mlp with { HiddenSize = 100 }, 0.84, 0.83);
        return sweep;
    }

    [Fact]
    public void A_sweep_gets_its_ranking_a_comparison_plot_and_each_run_s_learning_curves_and_no_homework_sections()
    {
        var output = ReportWriter.Write(RunLoader.Load([Sweep("my-sweep")], false, _ => { }), new ReportInputs(), _temp.Sub("report"));
        var markdown = File.ReadAllText(output.MarkdownPath);

        Assert.DoesNotContain("Reproduced numbers vs the report", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("not run", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("No run named", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Q1 Calculus", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Q3.2b", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Smoke run", markdown, StringComparison.Ordinal);

        Assert.Contains("### Sweep my-sweep", markdown, StringComparison.Ordinal);
        var ranks = Regex.Matches(markdown, @"^\| ([123]) \| ([a-z0-9.]+) \| scratch \|", RegexOptions.Multiline).Select(m => m.Groups[2].Value);
        Assert.Equal(["lr0.01", "base", "hidden100"], ranks);

        string[] figures = ["compare-my-sweep", "run-base-scratch", "run-lr0.01-scratch", "run-hidden100-scratch"];
        Assert.Equal(figures.Order(StringComparer.Ordinal),
            Directory.GetFiles(Path.Combine(output.Folder, "figures"), "*.png").Select(Path.GetFileNameWithoutExtension).Where(f => !f!.StartsWith("confusion", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.All(figures, f => Assert.Contains($"](figures/{f}.png)", markdown, StringComparison.Ordinal));
    }

    [Fact]
    public void A_sweep_report_loads_every_figure_in_the_browser()
    {
        var output = ReportWriter.Write(RunLoader.Load([Sweep("browser")], false, _ => { }), new ReportInputs(), _temp.Sub("report"));
        var dom = HeadlessChromium.DumpDom(output.HtmlPath);
        var figures = output.FigurePaths.Count / 2;
        Assert.Equal(5, figures); // comparison, three learning curves, confusion matrix
        Assert.Contains($"data-images-loaded=\"{figures}/{figures}\"", dom, StringComparison.Ordinal);
        Assert.Contains(ReportBuilder.RunsTitle, dom, StringComparison.Ordinal);
    }

    [Fact]
    public void Learning_curves_show_loss_dev_and_test_per_epoch_on_whole_epoch_ticks()
    {
        var output = ReportWriter.Write(RunLoader.Load([Sweep("ticks")], false, _ => { }), new ReportInputs(), _temp.Sub("report"));
        var svg = File.ReadAllText(Path.Combine(output.Folder, "figures", "run-base-scratch.svg"));
        Assert.Contains("training loss (left axis)", svg, StringComparison.Ordinal);
        Assert.Contains("dev accuracy (right axis)", svg, StringComparison.Ordinal);
        Assert.Contains("test accuracy (right axis)", svg, StringComparison.Ordinal);
        // Three epochs: ticks 1, 2, 3 and nothing between them.
        var ticks = Regex.Matches(svg, @">\s*([0-9]+(\.[0-9]+)?)\s*</text>").Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("2", ticks);
        Assert.DoesNotContain("1.5", ticks);
        Assert.DoesNotContain("2.5", ticks);
    }

    [Fact]
    public void Two_sweeps_with_the_same_run_names_but_other_settings_keep_both_runs()
    {
        var runs = RunLoader.Load([Sweep("a"), Sweep("b", epochs: 4)], false, _ => { });
        Assert.Equal(6, runs.Count);
        var output = ReportWriter.Write(runs, new ReportInputs(), _temp.Sub("report"));
        var markdown = File.ReadAllText(output.MarkdownPath);
        Assert.Contains("### Sweep a", markdown, StringComparison.Ordinal);
        Assert.Contains("### Sweep b", markdown, StringComparison.Ordinal);
        Assert.Equal(8, Directory.GetFiles(Path.Combine(output.Folder, "figures"), "*.png").Count(f => !Path.GetFileName(f).StartsWith("confusion", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_single_run_of_one_s_own_gets_its_learning_curves()
    {
        var run = SyntheticRuns.Regressor(_temp.Sub("mine"), "my-linear", Presets.For(ModelKind.LinearRegression, "q2") with { Epochs = 30, LearningRate = 0.01 }, 0.12, 0.25, bestEpoch: 10, distance: false);
        var output = ReportWriter.Write(RunLoader.Load([run], false, _ => { }), new ReportInputs(), _temp.Sub("report"));
        var markdown = File.ReadAllText(output.MarkdownPath);
        Assert.Contains("](figures/run-my-linear-scratch.png)", markdown, StringComparison.Ordinal);
        Assert.Contains("Train and test RMSE of ln(price) per epoch", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Q2.2a", markdown, StringComparison.Ordinal);
    }
}
