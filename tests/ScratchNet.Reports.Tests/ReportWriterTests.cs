using System.Buffers.Binary;
using System.Text.RegularExpressions;

namespace ScratchNet.Reports.Tests;

public sealed partial class ReportWriterTests(FullReportFixture report) : IClassFixture<FullReportFixture>
{
    [Theory]
    [InlineData("| Q2.2a | q2.2a-linear | scratch | train RMSE, last epoch | 0.1105 | 0.1105 | 0.0000 | printed digit | same | deterministic:")]
    [InlineData("| Q2.2a | q2.2a-linear | scratch | test RMSE, last epoch | 0.2382 | 0.2382 | 0.0000 | printed digit | same |")]
    [InlineData("| Q2.2a | q2.2a-linear | scratch | epoch of lowest test RMSE | 71 | 71 | 0 | printed digit | same |")]
    [InlineData("| Q2.2b | q2.2b-neural | scratch | test RMSE, last epoch | 0.1655 | 0.1655 | 0.0000 | printed digit | same |")]
    [InlineData("| Q3.1a | q3.1a-perceptron | scratch | dev accuracy, last epoch | 0.7126 | 0.7126 | 0.0000 | printed digit | same |")]
    [InlineData("| Q3.2b | q3.2b-mlp | scratch | test accuracy | 0.8704 | 0.8712 | +0.0008 | ±")]
    [InlineData("| Q4.1 | q4.1-logistic-lr0.001 | torch | test accuracy | 0.8388 | 0.8388 | 0.0000 | printed digit | same | deterministic given PyTorch")]
    [InlineData("| Q4.1 | q4.1-logistic-lr0.001 | torch | dev accuracy, last epoch | 0.8499 | 0.8499 | 0.0000 | printed digit | same |")]
    [InlineData("| Q4.1 | q4.1-logistic-lr0.001 | scratch | test accuracy | 0.8388 | 0.8415 | +0.0027 | printed digit | differs |")]
    [InlineData("| Q4.2 | q4.2-mlp-lr0.001 | torch | test accuracy | 0.8793 | 0.8793 | 0.0000 | ±0.0041 | same | chaotic under rounding and dropout draws: 2σ over 8 seeds = 0.0041")]
    [InlineData("| Q4.3 | q4.3-mlp-layers2 | torch | test accuracy | 0.8745 | 0.8745 | 0.0000 | ±0.0099 | same |")]
    public void Every_reference_number_sits_beside_the_reproduced_one_with_the_difference(string row) =>
        Assert.Contains(row, report.Markdown, StringComparison.Ordinal);

    [Fact]
    public void Every_reference_number_of_the_table_appears_in_the_report() =>
        Assert.All(ReferenceNumbers.All, r => Assert.Contains($"| {r.Section} | {r.RunName} |", report.Markdown, StringComparison.Ordinal));

    [Fact]
    public void Studies_choose_the_best_final_dev_accuracy_not_the_best_test_accuracy()
    {
        Assert.Contains("Chosen on the dev set (torch): q4.2-mlp-lr0.001", report.Markdown, StringComparison.Ordinal);
        Assert.Contains("Chosen on the dev set (torch): q4.1-logistic-lr0.001", report.Markdown, StringComparison.Ordinal);
        Assert.Contains("Chosen on the dev set (scratch): q4.1-logistic-lr0.001", report.Markdown, StringComparison.Ordinal);
        Assert.Contains("Chosen on the dev set (torch): q4.3-mlp-layers2", report.Markdown, StringComparison.Ordinal);
        // adam has the best test accuracy (0.8900) but not the best dev accuracy.
        Assert.Equal("q4.2-mlp-lr0.001", ReportBuilder.SelectOnDev(report.Runs.Where(r => r.Name.StartsWith("q4.2-", StringComparison.Ordinal)))!.Name);
    }

    [Fact]
    public void A_diverged_run_is_never_chosen_even_with_the_best_dev_accuracy()
    {
        var runs = report.Runs.Where(r => r.Name.StartsWith("q4.2-", StringComparison.Ordinal)).ToList();
        var diverged = runs.Single(r => r.Name == "q4.2-mlp-lr0.1");
        var boosted = diverged with { Manifest = diverged.Manifest with { Final = new Dictionary<string, double> { ["dev_accuracy"] = 0.99 } } };
        Assert.Equal("q4.2-mlp-lr0.001", ReportBuilder.SelectOnDev(runs.Select(r => r == diverged ? boosted : r))!.Name);
    }

    public static TheoryData<string, int, int> ExpectedFigures => new()
    {
        { "fig2a-scratch", 800, 480 }, { "fig2b-scratch", 800, 480 }, { "fig3-scratch", 800, 480 },
        { "fig4-scratch", 800, 480 }, { "fig5-scratch", 800, 480 }, { "fig6-scratch", 800, 480 },
        { "fig7-torch", 800, 480 }, { "fig7-scratch", 800, 480 }, { "fig8-torch", 800, 480 }, { "fig9-torch", 800, 480 },
        { "q4.1-compare-torch", 800, 480 }, { "q4.1-compare-scratch", 800, 480 }, { "q4.2-compare-torch", 800, 480 }, { "q4.3-compare-torch", 800, 480 },
        { "confusion-matrix", 760, 720 }, { "misclassified", 968, 4 * 128 + 44 + 12 },
    };

    [Theory]
    [MemberData(nameof(ExpectedFigures))]
    public void Each_figure_is_a_png_and_an_svg_linked_from_the_markdown(string stem, int width, int height)
    {
        var png = File.ReadAllBytes(Path.Combine(report.Output.Folder, "figures", stem + ".png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        var svg = File.ReadAllText(Path.Combine(report.Output.Folder, "figures", stem + ".svg"));
        Assert.Contains("<svg", svg, StringComparison.Ordinal);
        Assert.Contains("font-family=\"DejaVu Sans\"", svg, StringComparison.Ordinal);
        Assert.Contains($"](figures/{stem}.png)", report.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void The_figure_list_is_exactly_the_expected_figures()
    {
        var expected = ExpectedFigures.Select(row => (string)row[0]).Order(StringComparer.Ordinal);
        var written = Directory.GetFiles(Path.Combine(report.Output.Folder, "figures"), "*.png").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(expected, written);
        Assert.Equal(2 * expected.Count(), report.Output.FigurePaths.Count);
    }

    [Fact]
    public void Html_is_self_contained_and_embeds_every_figure()
    {
        var sources = ResourceAttribute().Matches(report.Html).Select(m => m.Groups[2].Value).ToList();
        Assert.Equal(ExpectedFigures.Count(), sources.Count(s => s.StartsWith("data:image/png;base64,", StringComparison.Ordinal)));
        Assert.All(sources, s => Assert.True(s.StartsWith("data:", StringComparison.Ordinal) || s.StartsWith('#'), $"external resource: {s[..Math.Min(60, s.Length)]}"));
        Assert.DoesNotContain("<link", report.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", report.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", report.Html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Html_encodes_every_string_it_shows()
    {
        // The diverged run's message and a claim's detail carry markup characters.
        Assert.Contains("train loss became NaN at epoch 2 &lt;step 3&gt;", report.Html, StringComparison.Ordinal);
        Assert.Contains("min eigenvalue -1e-3 &lt;x&gt;", report.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<step 3>", report.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<x>", report.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_run_is_listed_with_engine_settings_numbers_seconds_and_status()
    {
        Assert.Contains("| q4.2-mlp-hidden100 | torch | Mlp η=0.01 hidden=100 relu dropout=0.3 sgd batch=1 epochs=20 f32 | 0.8650 | 0.8600 | — | — | 10 | Completed |", report.Markdown, StringComparison.Ordinal);
        Assert.Contains("| q2.2a-linear | scratch | LinearRegression η=0.001 sgd batch=1 epochs=150 f64 | — | — | 0.1105 | 0.2382 | 15 | Completed |", report.Markdown, StringComparison.Ordinal);
        Assert.Contains("| q4.2-mlp-lr0.1 | torch |", report.Markdown, StringComparison.Ordinal);
        Assert.Contains("Diverged: train loss became NaN", report.Markdown, StringComparison.Ordinal);
        var everyRun = report.Markdown[report.Markdown.IndexOf("## Every run", StringComparison.Ordinal)..report.Markdown.IndexOf("## Machine", StringComparison.Ordinal)];
        Assert.Equal(report.Runs.Count, everyRun.Split('\n').Count(line => RunRow().IsMatch(line)));
    }

    [Fact]
    public void Calculus_claims_machine_and_time_are_reported()
    {
        Assert.Contains("1 of 2 claims hold.", report.Markdown, StringComparison.Ordinal);
        Assert.Contains("✗ fails", report.Markdown, StringComparison.Ordinal);
        Assert.Contains("| 0.1.0-test | .NET 10.0.0 | Debian GNU/Linux 12 | X64, 2 cores | — | 20 |", report.Markdown, StringComparison.Ordinal);
        var total = report.Runs.Sum(r => r.Manifest.Seconds);
        Assert.Contains($"Training time summed over all runs: {total / 60:0.0} min", report.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void The_confusion_matrix_is_of_the_best_classifier_on_dev()
    {
        Assert.Contains("Best classifier on the dev set: q4.2-mlp-lr0.001 (torch; dev accuracy 0.8850), 8793 of 10000 test images right (0.8793).", report.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void The_summary_counts_numbers_that_match_and_differ() =>
        Assert.Contains("15 same, 1 close, 1 differ, 0 not run (of 17 rows: one per reference number and engine that ran it).", report.Markdown, StringComparison.Ordinal);

    [Fact]
    public void A_chaotic_row_within_its_tolerance_is_close_with_its_reason()
    {
        var mlpTest = ReferenceNumbers.All.Single(r => r.Section == "Q3.2b" && r.Metric == ReportMetric.FinalTestAccuracy);
        Assert.True(mlpTest.Tolerance.Value >= SpreadEvidence.Floor);
        Assert.Contains($"| Q3.2b | q3.2b-mlp | scratch | test accuracy | 0.8704 | 0.8712 | +0.0008 | {Formatting.Tolerance(mlpTest.Tolerance.Value, mlpTest.Metric)} | close | {mlpTest.Tolerance.Reason.Replace("|", "\\|", StringComparison.Ordinal)} |",
            report.Markdown, StringComparison.Ordinal);
        Assert.StartsWith("chaotic under rounding", mlpTest.Tolerance.Reason, StringComparison.Ordinal);
        Assert.Contains("<td class=\"close\">close</td>", report.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_marks_a_differing_number() =>
        Assert.Contains("<td class=\"differs\">differs</td>", report.Html, StringComparison.Ordinal);

    [Fact]
    public void A_full_run_has_no_smoke_banner() => Assert.DoesNotContain("Smoke run", report.Markdown, StringComparison.Ordinal);

    [Fact]
    public void No_temporary_folder_is_left_beside_the_report() =>
        Assert.Equal(["report"], Directory.GetDirectories(Path.GetDirectoryName(report.Output.Folder)!).Select(Path.GetFileName).Where(n => n != "runs"));

    [GeneratedRegex("(src|href)=\"([^\"]*)\"")]
    private static partial Regex ResourceAttribute();

    [GeneratedRegex(@"^\| q[0-9.]+[a-z]?-[^|]+\| (scratch|torch) \| [A-Za-z]+ η=")]
    private static partial Regex RunRow();
}
