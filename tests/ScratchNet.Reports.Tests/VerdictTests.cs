using System.Text.Json;
using ScratchNet.Runs;

namespace ScratchNet.Reports.Tests;

/// <summary>Verdicts with tolerances, runs matched to reference rows by their settings, and the tolerance evidence.</summary>
public sealed class VerdictTests : IDisposable
{
    private readonly TempFolder _temp = new("verdicts");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(0.87044, 0.8704, 0.003, "same")]
    [InlineData(0.8734, 0.8704, 0.003, "close")]      // +0.0030 printed: on the edge, inside
    [InlineData(0.8674, 0.8704, 0.003, "close")]
    [InlineData(0.8735, 0.8704, 0.003, "differs")]    // +0.0031
    [InlineData(0.8705, 0.8704, 0, "differs")]        // an exact row: one digit off differs
    public void Verdict_is_same_close_or_differs_against_the_printed_value(double reproduced, double reference, double tolerance, string verdict) =>
        Assert.Equal(verdict, Formatting.Verdict(reproduced, reference, tolerance, ReportMetric.FinalTestAccuracy));

    [Fact]
    public void Every_reference_number_has_a_tolerance_and_a_reason()
    {
        Assert.All(ReferenceNumbers.All, r =>
        {
            Assert.True(r.Tolerance.Value >= 0);
            Assert.False(string.IsNullOrWhiteSpace(r.Tolerance.Reason));
            Assert.DoesNotContain('\n', r.Tolerance.Reason);
        });
        // The chaotic rows follow the rule max(2σ, 0.003); the deterministic rows must match the printed digit.
        string[] chaotic = ["Q3.2b", "Q4.2", "Q4.3"];
        Assert.All(ReferenceNumbers.All.Where(r => chaotic.Contains(r.Section)), r => Assert.True(r.Tolerance.Value >= SpreadEvidence.Floor, r.Section));
        Assert.All(ReferenceNumbers.All.Where(r => !chaotic.Contains(r.Section)), r => Assert.Equal(0, r.Tolerance.Value));
    }

    [Fact]
    public void A_run_named_like_a_reference_row_with_other_settings_is_not_compared()
    {
        var runs = _temp.Sub("runs");
        SyntheticRuns.Classifier(runs, "q3.1b-logistic", SyntheticRuns.Q3(ModelKind.LogisticRegression) with { Seed = 43 }, 0.8503, 0.8403);
        var markdown = Report(runs);
        Assert.Contains("| Q3.1b | q3.1b-logistic | scratch | test accuracy | 0.8403 | — | — | printed digit | not run | q3.1b-logistic (scratch) is not compared: other settings: seed 43 (reference 42) |",
            markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("| same |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_with_a_reference_row_s_settings_is_compared_whatever_its_name()
    {
        var runs = _temp.Sub("runs");
        SyntheticRuns.Classifier(runs, "my-logistic", SyntheticRuns.Q3(ModelKind.LogisticRegression), 0.8503, 0.8402);
        var markdown = Report(runs);
        Assert.Contains("| Q3.1b | my-logistic | scratch | test accuracy | 0.8403 | 0.8402 | -0.0001 | printed digit | differs | deterministic:", markdown, StringComparison.Ordinal);
        Assert.Contains("| Q3.1b | my-logistic | scratch | dev accuracy, last epoch | 0.8503 | 0.8503 | 0.0000 | printed digit | same |", markdown, StringComparison.Ordinal);
        // Not a reproduction (no run of the plan's names): only the rows it matches, no "not run" wall.
        Assert.Contains("1 same, 0 close, 1 differ, 0 not run (of 2 rows", markdown, StringComparison.Ordinal);
        Assert.Contains("only the 2 reference numbers whose settings one of them has are shown", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("| Q2.2a |", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Q1 Calculus", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_smoke_run_among_full_runs_is_labelled_on_its_own_rows_not_the_whole_report()
    {
        var runs = _temp.Sub("runs");
        SyntheticRuns.Classifier(runs, "q3.1b-logistic", SyntheticRuns.Q3(ModelKind.LogisticRegression), 0.8503, 0.8403);
        SyntheticRuns.Classifier(runs, "q3.2b-mlp", SyntheticRuns.Q3(ModelKind.Mlp) with { Epochs = 3, TrainLimit = 2000 }, 0.70, 0.69);
        var markdown = Report(runs);
        Assert.DoesNotContain(ReportBuilder.SmokeBanner, markdown, StringComparison.Ordinal);
        Assert.Contains("| Q3.2b | q3.2b-mlp | scratch | test accuracy | 0.8704 | — | — |", markdown, StringComparison.Ordinal);
        Assert.Contains("q3.2b-mlp (scratch) is not compared: a smoke run, other settings: epochs 3 (reference 20), trainLimit 2000 (reference none)", markdown, StringComparison.Ordinal);
        Assert.Contains("| Completed · smoke run (first 2000 examples) |", markdown, StringComparison.Ordinal);
        Assert.Matches(@"\| q3\.1b-logistic \| scratch \| [^\n]*\| Completed \|\n", markdown);
    }

    [Fact]
    public void The_committed_evidence_is_consistent_and_belongs_to_chaotic_reference_rows()
    {
        foreach (var evidence in ToleranceEvidence.All)
        {
            Assert.True(evidence.Seeds.Count >= SpreadEvidence.MinSeeds);
            Assert.Equal(evidence.Seeds.Count, evidence.Seeds.Distinct().Count());
            var (mean, std) = SpreadEvidence.MeanAndStd(evidence.Values);
            Assert.Equal(mean, evidence.Mean, 1e-9);
            Assert.Equal(std, evidence.Std, 1e-9);
            Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", evidence.Date);
            Assert.StartsWith("./scratchnet sweep ", evidence.Command, StringComparison.Ordinal);
            var reference = Assert.Single(ReferenceNumbers.All, r => r.Section == evidence.Section && r.Metric.ToString() == evidence.Metric);
            Assert.Same(evidence, reference.Tolerance.Evidence);
            Assert.Equal(Math.Max(2 * std, SpreadEvidence.Floor), reference.Tolerance.Value, 1e-12);
            Assert.Contains($"2σ over {evidence.Seeds.Count} seeds", reference.Tolerance.Reason, StringComparison.Ordinal);
        }
        // Q3.2b's spread is measured (the numpy MLP, scratch engine).
        Assert.Contains(ToleranceEvidence.All, e => e.Section == "Q3.2b" && e.Metric == nameof(ReportMetric.FinalTestAccuracy));
        Assert.Contains(ToleranceEvidence.All, e => e.Section == "Q3.2b" && e.Metric == nameof(ReportMetric.FinalDevAccuracy));
        // So are Q4.2's best and Q4.3's (the scratch engine on PyTorch's stream): no chaotic row is left at the floor unmeasured.
        Assert.All(ReferenceNumbers.All.Where(r => r.Section is "Q3.2b" or "Q4.2" or "Q4.3"), r => Assert.NotNull(r.Tolerance.Evidence));
    }

    [Fact]
    public void A_row_that_differs_says_where_the_reference_falls_in_the_measured_seed_spread()
    {
        // Q4.3's committed evidence: mean 0.8663, tolerance 0.0099; the report's 0.8745 is 0.0082 from the mean
        var runs = _temp.Sub("runs");
        SyntheticRuns.Classifier(runs, "q4.3-mlp-layers2", SyntheticRuns.Q4(ModelKind.Mlp, Engine.Scratch) with { Layers = 2 }, 0.8624, 0.8567);
        var evidence = ReferenceNumbers.All.Single(r => r.Section == "Q4.3").Tolerance.Evidence!;
        // the row is in the overview table and in Q4.3's section, the same in both
        var row = Report(runs).Split('\n').Where(line => line.StartsWith("| Q4.3 | q4.3-mlp-layers2 | scratch |", StringComparison.Ordinal)).Distinct().Single();
        Assert.Contains("| 0.8745 | 0.8567 | -0.0178 | ±0.0099 | differs |", row, StringComparison.Ordinal);
        Assert.Contains(evidence.Summary, row, StringComparison.Ordinal);
        Assert.Contains($"; the reference itself is {Math.Abs(0.8745 - evidence.Mean):0.0000} from these seeds' mean, within {evidence.Tolerance:0.0000}: " +
            "it and this run are both draws of the configuration's spread |", row, StringComparison.Ordinal);

        // a close row says nothing more than its reason
        var close = _temp.Sub("close");
        SyntheticRuns.Classifier(close, "q4.3-mlp-layers2", SyntheticRuns.Q4(ModelKind.Mlp, Engine.Scratch) with { Layers = 2 }, 0.8800, 0.8720);
        Assert.DoesNotContain("from these seeds' mean", Report(close), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.8745, "the reference itself is 0.0045 from these seeds' mean, within 0.0060: it and this run are both draws of the configuration's spread")]
    [InlineData(0.8630, "the reference is 0.0070 from these seeds' mean, outside 0.0060: not a typical draw of this configuration")]
    [InlineData(0.8760, "the reference itself is 0.0060 from these seeds' mean, within 0.0060: it and this run are both draws of the configuration's spread")]
    public void The_reference_is_placed_against_the_spreads_mean_and_tolerance(double reference, string expected)
    {
        var spread = new SpreadEvidence
        {
            Section = "Q4.3", Metric = "FinalTestAccuracy", Engine = "scratch", Configuration = "x", Seeds = [42, 43, 44, 45, 46, 47, 48, 49],
            Values = [0.87, 0.87, 0.87, 0.87, 0.87, 0.87, 0.87, 0.87], Mean = 0.8700, Std = 0.003, Date = "2026-12-05", Commit = "abc1234", Command = "x",
        };
        Assert.Equal(expected, spread.PlaceOf(reference));
    }

    [Fact]
    public void Evidence_with_fewer_than_eight_seeds_is_rejected()
    {
        var row = new SpreadEvidence
        {
            Section = "Q4.2", Metric = "FinalTestAccuracy", Engine = "scratch", Configuration = "x", Seeds = [1, 2, 3], Values = [0.87, 0.88, 0.875],
            Mean = 0.875, Std = 0.005, Date = "2026-12-04", Commit = "abc1234", Command = "./scratchnet sweep mlp",
        };
        var json = JsonSerializer.Serialize(new ToleranceEvidenceFile { Rows = [row] }, ToleranceEvidence.Json);
        var error = Assert.Throws<InvalidDataException>(() => ToleranceEvidence.Parse(json));
        Assert.Contains("at least 8 seeds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_seed_sweep_report_measures_the_spread_and_writes_evidence_for_the_reference_row()
    {
        var sweep = _temp.Sub("seeds");
        Directory.CreateDirectory(sweep);
        File.WriteAllText(Path.Combine(sweep, RunGroup.SweepTable), "rank,name\n");
        var runs = Path.Combine(sweep, "runs", "scratch");
        double[] tests = [0.8695, 0.8707, 0.8678, 0.8712, 0.8690, 0.8701, 0.8688, 0.8716];
        for (var i = 0; i < tests.Length; i++)
            SyntheticRuns.Classifier(runs, i == 0 ? "base" : $"seed{42 + i}", SyntheticRuns.Q3(ModelKind.Mlp) with { Seed = 42 + i }, 0.8780 + i * 0.0003, tests[i]);
        var output = ReportWriter.Write(RunLoader.Load([sweep], false, _ => { }), new ReportInputs(), _temp.Sub("report"));

        var file = ToleranceEvidence.Parse(File.ReadAllText(Path.Combine(output.Folder, ReportBuilder.SeedSpreadFile)));
        var test = Assert.Single(file.Rows, r => r.Metric == nameof(ReportMetric.FinalTestAccuracy));
        Assert.Equal("Q3.2b", test.Section);
        Assert.Equal(Enumerable.Range(42, 8), test.Seeds);
        Assert.Equal(tests, test.Values);
        var mean = tests.Average();
        Assert.Equal(mean, test.Mean, 1e-12);
        Assert.Equal(Math.Sqrt(tests.Sum(t => (t - mean) * (t - mean)) / 7), test.Std, 1e-12);
        Assert.Equal("./scratchnet sweep mlp --preset q3 --engine scratch --grid seed=42,43,44,45,46,47,48,49 --out seeds", test.Command);
        Assert.Contains(file.Rows, r => r.Metric == nameof(ReportMetric.FinalDevAccuracy));

        var markdown = File.ReadAllText(output.MarkdownPath);
        Assert.Contains("## Seed spread", markdown, StringComparison.Ordinal);
        Assert.Contains($"| Q3.2b | scratch | Mlp η=0.001 hidden=200 relu sgd batch=1 epochs=20 f64 | test accuracy | 8 (42,43,44,45,46,47,48,49) | {mean:0.0000} |", markdown, StringComparison.Ordinal);
        // A seed sweep is not the homework: the seed-42 run ("base") is compared, and no homework section appears.
        Assert.Contains("| Q3.2b | base | scratch | test accuracy | 0.8704 | 0.8695 |", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("No run named", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("| Q4.1 |", markdown, StringComparison.Ordinal);
        Assert.Contains("### Sweep seeds", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Runs_on_both_engines_are_shown_side_by_side_with_how_far_apart_they_are()
    {
        var runs = _temp.Sub("runs");
        var logistic = SyntheticRuns.Q4(ModelKind.LogisticRegression) with { LearningRate = 0.001 };
        var mlp = SyntheticRuns.Q4(ModelKind.Mlp) with { Layers = 2 };
        SyntheticRuns.Classifier(Path.Combine(runs, "scratch"), "q4.1-logistic-lr0.001", logistic with { Engine = Engine.Scratch }, 0.8499, 0.8388);
        SyntheticRuns.Classifier(Path.Combine(runs, "torch"), "q4.1-logistic-lr0.001", logistic, 0.8499, 0.8388);
        SyntheticRuns.Classifier(Path.Combine(runs, "scratch"), "q4.3-mlp-layers2", mlp with { Engine = Engine.Scratch }, 0.8729, 0.8687);
        SyntheticRuns.Classifier(Path.Combine(runs, "torch"), "q4.3-mlp-layers2", mlp, 0.8772, 0.8705);
        // Another seed on one engine only is no pair.
        SyntheticRuns.Classifier(Path.Combine(runs, "torch"), "q4.3-mlp-layers2-seed7", mlp with { Seed = 7 }, 0.86, 0.85);

        var markdown = Report(runs);

        Assert.Contains("## The two engines side by side", markdown, StringComparison.Ordinal);
        Assert.Contains("2 configurations ran on both engines with the same settings. Test accuracy: the same to the printed digit in 1 of 2; " +
            "the engines are at most 0.0018 apart (q4.3-mlp-layers2), 0.0009 on average; dev accuracy at most 0.0043 apart", markdown, StringComparison.Ordinal);
        Assert.Contains("| q4.1-logistic-lr0.001 |", markdown, StringComparison.Ordinal);
        Assert.Matches(@"\| q4\.3-mlp-layers2 \| [^|]+ \| 0\.8729 \| 0\.8772 \| -0\.0043 \| 0\.8687 \| 0\.8705 \| -0\.0018 \|", markdown);
        Assert.DoesNotContain("| q4.3-mlp-layers2-seed7 | Mlp", markdown.Split("## The two engines side by side")[1].Split("\n## ")[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Engines_that_drew_their_dropout_masks_on_different_paths_are_paired_and_the_report_says_so()
    {
        // the torch engine on an Intel CPU draws through MKL; the scratch engine's q4 default draws element by element
        var runs = _temp.Sub("runs");
        var mlp = SyntheticRuns.Q4(ModelKind.Mlp) with { Layers = 2 };
        SyntheticRuns.Classifier(Path.Combine(runs, "scratch"), "q4.3-mlp-layers2", mlp with { Engine = Engine.Scratch, Stream = RandomStream.Torch }, 0.8729, 0.8567);
        SyntheticRuns.Classifier(Path.Combine(runs, "torch"), "q4.3-mlp-layers2", mlp with { Stream = RandomStream.TorchMkl }, 0.8772, 0.8705);

        var markdown = Report(runs);

        Assert.Contains("1 configurations ran on both engines with the same settings", markdown, StringComparison.Ordinal);
        Assert.Contains("but not the same dropout masks in 1 of these runs: the torch engine drew them on the torch-mkl stream " +
            "(libtorch chooses by the CPU's vendor), the scratch engine on the torch stream; rerun the scratch engine on the torch-mkl stream", markdown, StringComparison.Ordinal);
        Assert.Matches(@"\| q4\.3-mlp-layers2 \| [^|]+ \| 0\.8729 \| 0\.8772 \|", markdown);
    }

    [Fact]
    public void Runs_on_one_engine_get_no_side_by_side_section()
    {
        var runs = _temp.Sub("runs");
        SyntheticRuns.Classifier(runs, "q4.1-logistic-lr0.001", SyntheticRuns.Q4(ModelKind.LogisticRegression) with { LearningRate = 0.001 }, 0.8499, 0.8388);
        Assert.DoesNotContain("side by side", Report(runs), StringComparison.Ordinal);
    }

    private string Report(string runs)
    {
        var output = ReportWriter.Write(RunLoader.Load([runs], false, _ => { }), new ReportInputs(), _temp.Sub("report-" + Guid.NewGuid().ToString("N")[..6]));
        return File.ReadAllText(output.MarkdownPath);
    }
}
