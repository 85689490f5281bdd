using ScratchNet.Benchmarking;

namespace ScratchNet.Tests.Benchmarking;

/// <summary>The scratch ÷ torch ratio and the issue-7 targets on synthetic rows (no timing involved).</summary>
public class BenchTargetsTests
{
    private static EpochRow Row(string engine, string precision, int batch, int threads, params double[] seconds) =>
        new(new EpochCase(engine, precision, batch, threads, 50_000), seconds);

    [Theory]
    [InlineData(5.0, "met")]
    [InlineData(5.01, "missed")]
    public void The_per_example_Adam_row_carries_the_issue_16_target_only_and_no_torch_ratio(double seconds, string verdict)
    {
        var adam = new EpochRow(new EpochCase("scratch", "float32", 1, 1, 50_000, EpochCase.Adam), [seconds]);
        EpochRow[] rows = [adam, Row("torch", "float32", 1, 1, 100.0)];

        Assert.Null(BenchTargets.SpeedupOverTorch(adam, rows));
        var checks = BenchTargets.ForRow(adam, BenchTargets.SpeedupOverTorch(adam, rows));
        Assert.Equal(["≤ 5 s"], checks.Select(c => c.Target));
        Assert.Equal([verdict], checks.Select(c => c.Verdict));
        Assert.Equal("scratch adam", adam.Case.EngineLabel);
    }

    [Theory]
    [InlineData(4.0, "met", "1.00×")]
    [InlineData(4.01, "missed", "1.00×")]
    [InlineData(2.0, "met", "2.00×")]
    public void The_two_thread_Adam_row_is_held_to_the_one_thread_Adam_row(double seconds, string verdict, string ratio)
    {
        var two = new EpochRow(new EpochCase("scratch", "float32", 1, 2, 50_000, EpochCase.Adam), [seconds]);
        EpochRow[] rows = [Row("scratch", "float32", 1, 1, 1.0), new(new EpochCase("scratch", "float32", 1, 1, 50_000, EpochCase.Adam), [4.0]), two];

        Assert.Same(rows[1], BenchTargets.BaselineRow(two, rows));
        Assert.Null(BenchTargets.BaselineRow(rows[1], rows));
        var checks = BenchTargets.ForRow(two, null, BenchTargets.BaselineRow(two, rows));
        Assert.Equal(["not slower than 1 thread"], checks.Select(c => c.Target));
        Assert.Equal([verdict], checks.Select(c => c.Verdict));
        Assert.Equal([$"{ratio} 1 thread"], checks.Select(c => c.Measured));
        Assert.Equal("missed", BenchTargets.ForRow(two, null, baseline: null).Single().Verdict);
    }

    [Theory]
    [InlineData(1.15, "met")]
    [InlineData(1.16, "missed")]
    public void The_q4_dropout_row_is_held_to_the_plain_step_at_its_own_thread_count(double seconds, string verdict)
    {
        var q4 = new EpochRow(new EpochCase("scratch", "float32", 1, 2, 50_000, EpochCase.SgdQ4), [seconds]);
        EpochRow[] rows = [Row("scratch", "float32", 1, 1, 0.5), Row("scratch", "float32", 1, 2, 1.0), q4, Row("torch", "float32", 1, 2, 10.0)];

        Assert.Same(rows[1], BenchTargets.BaselineRow(q4, rows));
        Assert.Null(BenchTargets.SpeedupOverTorch(q4, rows));
        var checks = BenchTargets.ForRow(q4, null, BenchTargets.BaselineRow(q4, rows));
        Assert.Equal(["≤ 1.15× the plain step"], checks.Select(c => c.Target));
        Assert.Equal([verdict], checks.Select(c => c.Verdict));
        Assert.Equal("scratch q4", q4.Case.EngineLabel);
    }

    [Fact]
    public void Ratio_is_torch_median_over_the_row_median_at_the_same_batch_and_threads()
    {
        EpochRow[] rows =
        [
            Row("scratch", "float32", 16, 1, 1.0, 3.0, 2.0),  // median 2
            Row("torch", "float32", 16, 1, 3.0, 100.0, 2.0),  // median 3
            Row("torch", "float32", 16, 2, 8.0),              // another thread count: must not be used
            Row("torch", "float32", 64, 1, 0.5),              // another batch: must not be used
        ];

        Assert.Equal(1.5, BenchTargets.SpeedupOverTorch(rows[0], rows)!.Value, 12);
        Assert.Equal(1.0, BenchTargets.SpeedupOverTorch(rows[1], rows)!.Value, 12);
        Assert.Null(BenchTargets.SpeedupOverTorch(Row("scratch", "float32", 256, 1, 1.0), rows));
    }

    [Theory]
    [InlineData("float32", 1, 0.8, 20.0, "≤ 0.8 s|≥ 20× torch", "met|met")]
    [InlineData("float32", 1, 0.81, 19.9, "≤ 0.8 s|≥ 20× torch", "missed|missed")]
    [InlineData("float64", 1, 1.6, 5.0, "≤ 1.6 s", "met")]
    [InlineData("float64", 1, 1.7, 50.0, "≤ 1.6 s", "missed")]
    [InlineData("float32", 16, 9.0, 1.5, "≥ 1.5× torch", "met")]
    [InlineData("float32", 16, 0.1, 1.49, "≥ 1.5× torch", "missed")]
    [InlineData("float32", 64, 9.0, 1.0, "≥ 1× torch", "met")]
    [InlineData("float32", 256, 9.0, 0.99, "≥ 1× torch", "missed")]
    [InlineData("float64", 64, 9.0, 0.1, "", "")]
    [InlineData("float32", 32, 9.0, 0.1, "", "")]
    public void Scratch_rows_carry_the_issue_7_targets_of_their_precision_and_batch(
        string precision, int batch, double seconds, double speedup, string targets, string verdicts)
    {
        var checks = BenchTargets.ForRow(Row("scratch", precision, batch, 2, seconds), speedup);

        Assert.Equal(targets, string.Join('|', checks.Select(c => c.Target)));
        Assert.Equal(verdicts, string.Join('|', checks.Select(c => c.Verdict)));
    }

    [Fact]
    public void Torch_rows_have_no_target_and_a_missing_torch_row_misses_the_ratio_target()
    {
        Assert.Empty(BenchTargets.ForRow(Row("torch", "float32", 1, 1, 15.0), 1.0));
        var check = Assert.Single(BenchTargets.ForRow(Row("scratch", "float32", 16, 1, 1.0), null));
        Assert.Equal(("no torch row", false), (check.Measured, check.Met));
    }

    [Fact]
    public void Machine_targets_score_the_gemm_share_against_the_best_reference_library_the_evaluation_and_the_peak_rss()
    {
        var gemm = new GemmCeiling(1024,
        [
            new GemmMeasurement(GemmCeilingBenchmark.TorchLibrary, 80),
            new GemmMeasurement(GemmCeilingBenchmark.OpenBlasLibrary, 100),
            new GemmMeasurement(GemmCeiling.ScratchNetLibrary, 70),
        ]);
        EvaluationRow[] evaluation = [new("float32", [40, 60, 45]), new("float64", [70, 55, 51])];
        var reproduce = new ReproduceMeasurement(0, 30, PeakRssKiB: 244_140, ""); // 249.999 MB

        var checks = BenchTargets.ForMachine(gemm, evaluation, reproduce);

        Assert.Equal(100, gemm.Ceiling);
        Assert.Equal([true, true, false, true], checks.Select(c => c.Met));
        Assert.Contains("70 % (70.0 of 100.0 GFLOP/s)", checks[0].Measured, StringComparison.Ordinal);
        Assert.Equal("45.000 ms", checks[1].Measured);
        Assert.False(BenchTargets.ForMachine(gemm, evaluation, reproduce with { PeakRssKiB = 244_141 })[3].Met);
    }

    [Fact]
    public void The_full_reproduce_carries_its_peak_rss_and_wall_time_targets_under_its_own_name()
    {
        var gemm = new GemmCeiling(1024, [new GemmMeasurement(GemmCeilingBenchmark.OpenBlasLibrary, 100), new GemmMeasurement(GemmCeiling.ScratchNetLibrary, 90)]);
        var full = new ReproduceMeasurement(0, WallSeconds: 150.5, PeakRssKiB: 200_000, "", Full: true);

        var checks = BenchTargets.ForMachine(gemm, [], full);

        Assert.Equal(["peak RSS of reproduce (full) ≤ 250 MB", "reproduce (full) wall time ≤ 150 s"], checks.Skip(1).Select(c => c.Target));
        Assert.Equal([true, false], checks.Skip(1).Select(c => c.Met));
        Assert.True(BenchTargets.ForMachine(gemm, [], full with { WallSeconds = 150 })[2].Met);
        Assert.Equal(2, BenchTargets.ForMachine(gemm, [], full with { Full = false }).Count); // --quick: no wall-time target
    }

    [Fact]
    public void Without_a_reference_library_there_is_no_ceiling_and_the_gemm_target_is_missed_not_crashed()
    {
        var gemm = new GemmCeiling(1024,
        [
            new GemmMeasurement(GemmCeilingBenchmark.OpenBlasLibrary, null, "not installed"),
            new GemmMeasurement(GemmCeiling.ScratchNetLibrary, 70),
        ]);

        Assert.Null(gemm.Ceiling);
        var check = BenchTargets.ForMachine(gemm, [], null).Single();
        Assert.Equal(("no ceiling measured", false), (check.Measured, check.Met));
    }
}
