using System.Globalization;

namespace ScratchNet.Benchmarking;

/// <summary>One target of issue 7 against what was measured.</summary>
public sealed record TargetCheck(string Target, string Measured, bool Met)
{
    public string Verdict => Met ? "met" : "missed";
}

/// <summary>
/// Issue 7's speed targets and the ratio they are stated in. scratch ÷ torch is torch's median seconds per epoch over the
/// row's, i.e. the row's examples/s over torch's, at the same batch size and thread count (&gt; 1: scratch is faster).
/// </summary>
public static class BenchTargets
{
    public const double PerExampleFloat32Seconds = 0.8;
    public const double PerExampleFloat64Seconds = 1.6;
    /// <summary>Issue 16: per-example Adam, float32, one thread (q4 settings).</summary>
    public const double PerExampleAdamFloat32Seconds = 5;
    /// <summary>Issue 16: per-example SGD with the q4 settings (dropout) at most this many times the plain step.</summary>
    public const double SgdQ4OverPlainStep = 1.15;
    public const double Batch1SpeedupOverTorch = 20;
    public const double GemmShareOfCeiling = 0.70;
    public const double EvaluationMilliseconds = 50;
    public const double PeakRssMegabytes = 250;
    /// <summary>Issue 16: the whole `reproduce` (scratch engine, every run) on 2 cores, wall seconds.</summary>
    public const double FullReproduceSeconds = 150;

    /// <summary>Minimum scratch float32 ÷ torch examples/s at a mini-batch size; null where issue 7 sets none.</summary>
    public static double? MiniBatchSpeedup(int batch) => batch switch
    {
        16 => 1.5,
        64 or 256 => 1.0,
        _ => null,
    };

    /// <summary>The torch row's median over this row's, at the same batch and threads; null without such a torch row.</summary>
    public static double? SpeedupOverTorch(EpochRow row, IReadOnlyList<EpochRow> rows)
    {
        if (row.Case.IsAdam || row.Case.IsSgdQ4)
            return null; // torch rows are plain SGD
        var torch = rows.FirstOrDefault(r => r.Case.IsTorch && r.Case.Batch == row.Case.Batch && r.Case.Threads == row.Case.Threads);
        return torch is null ? null : torch.Median / row.Median;
    }

    /// <summary>The row a row is held against: for a "scratch q4" row the plain per-example float32 SGD row at the same
    /// thread count; for a "scratch adam" row on more than one thread the one-thread Adam row; else null.</summary>
    public static EpochRow? BaselineRow(EpochRow row, IReadOnlyList<EpochRow> rows) => row.Case switch
    {
        { IsSgdQ4: true } => rows.FirstOrDefault(r => r.Case is { IsTorch: false, IsAdam: false, IsSgdQ4: false, Batch: 1, Precision: "float32" }
            && r.Case.Threads == row.Case.Threads),
        { IsAdam: true, Threads: > 1 } => rows.FirstOrDefault(r => r.Case is { IsAdam: true, Threads: 1 }),
        _ => null,
    };

    /// <summary>The targets that apply to a training row (none for torch rows and for float64 mini-batches).</summary>
    /// <param name="row">The training row.</param>
    /// <param name="speedup">Its <see cref="SpeedupOverTorch"/>.</param>
    /// <param name="baseline">Its <see cref="BaselineRow"/>.</param>
    public static IReadOnlyList<TargetCheck> ForRow(EpochRow row, double? speedup, EpochRow? baseline = null)
    {
        var checks = new List<TargetCheck>();
        if (row.Case.IsTorch)
            return checks;
        if (row.Case.IsSgdQ4)
        {
            const string target = "≤ 1.15× the plain step";
            checks.Add(baseline is null
                ? new TargetCheck(target, "no plain row", false)
                : new TargetCheck(target, Format($"{row.Median / baseline.Median:F2}×"), row.Median <= SgdQ4OverPlainStep * baseline.Median));
            return checks;
        }
        var (precision, batch) = (row.Case.Precision, row.Case.Batch);
        if (row.Case is { IsAdam: true, Threads: 1 })
        {
            checks.Add(AtMost($"≤ {PerExampleAdamFloat32Seconds} s", row.Median, PerExampleAdamFloat32Seconds, "s"));
            return checks;
        }
        if (row.Case.IsAdam)
        {
            // issue 16: more threads never slower than one; the ratio is the one-thread row's median over this one's
            const string target = "not slower than 1 thread";
            checks.Add(baseline is null
                ? new TargetCheck(target, "no 1-thread row", false)
                : new TargetCheck(target, Format($"{baseline.Median / row.Median:F2}× 1 thread"), row.Median <= baseline.Median));
            return checks;
        }
        if (batch == 1 && precision == "float32")
            checks.Add(AtMost($"≤ {PerExampleFloat32Seconds} s", row.Median, PerExampleFloat32Seconds, "s"));
        if (batch == 1 && precision == "float64")
            checks.Add(AtMost($"≤ {PerExampleFloat64Seconds} s", row.Median, PerExampleFloat64Seconds, "s"));
        var minimum = precision != "float32" ? null : batch == 1 ? Batch1SpeedupOverTorch : MiniBatchSpeedup(batch);
        if (minimum is { } least)
            checks.Add(speedup is { } ratio
                ? new TargetCheck($"≥ {least}× torch", Format($"{ratio:F2}×"), ratio >= least)
                : new TargetCheck($"≥ {least}× torch", "no torch row", false));
        return checks;
    }

    /// <summary>The targets outside the training table: GEMM share, evaluation time, peak RSS of reproduce --quick (or of the
    /// full reproduce, then with its wall time).</summary>
    public static IReadOnlyList<TargetCheck> ForMachine(GemmCeiling gemm, IReadOnlyList<EvaluationRow> evaluation, ReproduceMeasurement? reproduce)
    {
        var checks = new List<TargetCheck>();
        var gemmTarget = $"ScratchNet GEMM float32 {gemm.Size}³, 1 thread ≥ {GemmShareOfCeiling:P0} of the sgemm ceiling";
        checks.Add(gemm.ScratchNetShare is { } share
            ? new TargetCheck(gemmTarget, Format($"{share:P0} ({gemm.ScratchNet:F1} of {gemm.Ceiling:F1} GFLOP/s)"), share >= GemmShareOfCeiling)
            : new TargetCheck(gemmTarget, "no ceiling measured", false));
        foreach (var row in evaluation)
            checks.Add(AtMost($"evaluation of 10,000 examples, {row.Precision} ≤ {EvaluationMilliseconds} ms", row.Median, EvaluationMilliseconds, "ms"));
        if (reproduce is not null)
        {
            var rssTarget = $"peak RSS of {reproduce.Label} ≤ {PeakRssMegabytes} MB";
            checks.Add(reproduce.PeakRssMegabytes is { } megabytes
                ? AtMost(rssTarget, megabytes, PeakRssMegabytes, "MB")
                : new TargetCheck(rssTarget, "not measurable here (getrusage needs Linux)", false));
            if (reproduce.Full)
                checks.Add(AtMost($"{reproduce.Label} wall time ≤ {FullReproduceSeconds} s", reproduce.WallSeconds, FullReproduceSeconds, "s"));
        }
        return checks;
    }

    private static TargetCheck AtMost(string target, double measured, double limit, string unit) =>
        new(target, Format($"{measured:F3} {unit}"), measured <= limit);

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
