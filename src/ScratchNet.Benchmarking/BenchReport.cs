using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ScratchNet.IO;

namespace ScratchNet.Benchmarking;

/// <summary>The table `scratchnet bench` prints, and its CSV (the training rows) and JSON (everything) files.</summary>
public static class BenchReport
{
    // a file, never embedded in HTML: keep ≤, ×, ³ readable instead of \uXXXX escapes
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Table(BenchResult result)
    {
        var (settings, rows) = (result.Settings, result.Rows);
        var ceiling = result.Gemm.Ceiling;
        var text = new StringBuilder();
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));
        Line($"scratchnet bench: MLP 784-200-10 on Fashion-MNIST, one epoch of training steps{(settings.Quick ? " (QUICK smoke run: too few examples to compare with anything)" : "")}");
        Line($"{result.StartedUtc:yyyy-MM-dd HH:mm} UTC; {result.Cpu}; {result.Cores} cores; load average before {result.LoadBefore}, after {result.LoadAfter}");
        Line($"{settings.Reps} interleaved repetition(s) per row; {settings.Examples:N0} examples timed per epoch ({settings.TorchBatch1Examples:N0} for torch at batch 1), seconds scaled to {EpochWorkloads.FullEpoch:N0}.");
        Line($"GFLOP/s = examples/s × {EpochWorkloads.FlopsPerExample:N0} (nominal dense flops); % ceiling = of the 1-thread sgemm ceiling ({Gflops(ceiling)} GFLOP/s).");
        Line($"scratch ÷ torch = torch's median s/epoch ÷ the row's, at the same batch and threads (> 1: scratch is faster).");
        Line($"| engine  | precision | batch | threads | s/epoch median [min – max] | examples/s | GFLOP/s | % ceiling | scratch ÷ torch | target | met/missed |");
        Line($"|---------|-----------|------:|--------:|---------------------------:|-----------:|--------:|----------:|----------------:|--------|------------|");
        foreach (var row in rows)
        {
            var speedup = BenchTargets.SpeedupOverTorch(row, rows);
            var checks = BenchTargets.ForRow(row, speedup, BenchTargets.BaselineRow(row, rows));
            var c = row.Case;
            Line($"| {c.EngineLabel,-7} | {c.Precision,-9} | {c.Batch,5} | {c.Threads,7} | {$"{row.Median:F3} [{row.Min:F3} – {row.Max:F3}]",26} | {row.ExamplesPerSecond,10:N0} | {row.Gflops,7:F2} | {Percent(row.Gflops / ceiling),9} | {(c.IsTorch ? "—" : Ratio(speedup)),15} | {Join(checks, k => k.Target)} | {Join(checks, k => k.Verdict)} |");
        }
        text.AppendLine();
        Line($"sgemm ceiling, float32 {result.Gemm.Size}³ C = A·B, 1 thread (median of {settings.GemmReps}):");
        foreach (var m in result.Gemm.Measurements)
            Line($"  {m.Library,-22} {(m.Gflops is { } g ? $"{g,7:F1} GFLOP/s" : m.Note)}");
        Line($"  ScratchNet = {Percent(result.Gemm.ScratchNetShare)} of the best reference");
        foreach (var e in result.Evaluation)
            Line($"evaluation of the 10,000 dev examples, scratch {e.Precision}: median {e.Median:F1} ms [{e.Min:F1} – {e.Max:F1}]");
        if (result.Reproduce is { } r)
            Line($"{r.Label}: {r.WallSeconds:F1} s wall, peak RSS {(r.PeakRssKiB is { } kib ? $"{r.PeakRssMegabytes:F0} MB ({kib:N0} KiB, the largest process: it or one of its workers; bench's own RSS when it started it: {r.ParentRssMegabytes:F0} MB, a floor for this figure)" : "not measurable here")}{(r.ExitCode == 0 ? "" : $"; FAILED with exit code {r.ExitCode}: {r.Error}")}");
        else
            Line($"reproduce --quick: skipped (--skip-reproduce)");
        text.AppendLine();
        Line($"targets (issue 7):");
        foreach (var check in AllChecks(result))
            Line($"  {check.Verdict,-6} {check.Target}: {check.Measured}");
        return text.ToString();
    }

    /// <summary>Every target check: the training rows' (named by their row), then the machine-wide ones.</summary>
    public static IReadOnlyList<TargetCheck> AllChecks(BenchResult result) =>
    [
        .. result.Rows.SelectMany(row => BenchTargets.ForRow(row, BenchTargets.SpeedupOverTorch(row, result.Rows), BenchTargets.BaselineRow(row, result.Rows)).Select(check => check with
        {
            Target = $"{row.Case.EngineLabel} {row.Case.Precision} batch {row.Case.Batch}, {row.Case.Threads} thread(s) {check.Target}",
        })),
        .. BenchTargets.ForMachine(result.Gemm, result.Evaluation, result.Reproduce),
    ];

    public static string Csv(BenchResult result)
    {
        var csv = new StringBuilder("engine,precision,batch,threads,examples_timed,seconds_per_epoch_median,seconds_min,seconds_max,examples_per_second,gflops,percent_of_ceiling,scratch_over_torch,targets,verdicts,seconds_all\n");
        foreach (var row in result.Rows)
        {
            var speedup = BenchTargets.SpeedupOverTorch(row, result.Rows);
            var checks = BenchTargets.ForRow(row, speedup, BenchTargets.BaselineRow(row, result.Rows));
            var c = row.Case;
            csv.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{c.EngineLabel},{c.Precision},{c.Batch},{c.Threads},{c.ExamplesTimed},{row.Median:R},{row.Min:R},{row.Max:R},{row.ExamplesPerSecond:R},{row.Gflops:R},{100 * row.Gflops / result.Gemm.Ceiling:R},{speedup:R},{Quote(Join(checks, k => k.Target))},{Join(checks, k => k.Verdict)},{string.Join(' ', row.SecondsPerEpoch.Select(s => s.ToString("R", CultureInfo.InvariantCulture)))}"));
        }
        return csv.ToString();
    }

    public static string Json(BenchResult result, IReadOnlyList<string> arguments) => JsonSerializer.Serialize(new
    {
        date = result.StartedUtc.ToString("O", CultureInfo.InvariantCulture),
        command = "scratchnet " + string.Join(' ', arguments),
        quick = result.Settings.Quick,
        cpu = result.Cpu,
        cores = result.Cores,
        loadAverageBefore = result.LoadBefore,
        loadAverageAfter = result.LoadAfter,
        repetitions = result.Settings.Reps,
        flopsPerExample = EpochWorkloads.FlopsPerExample,
        flopsFormula = "3 * 2 * (784*200 + 200*10)",
        rows = result.Rows.Select(r => new
        {
            engine = r.Case.EngineLabel, precision = r.Case.Precision, batch = r.Case.Batch, threads = r.Case.Threads,
            examplesTimed = r.Case.ExamplesTimed, secondsPerEpochMedian = r.Median, secondsMin = r.Min, secondsMax = r.Max,
            secondsAll = r.SecondsPerEpoch, examplesPerSecond = r.ExamplesPerSecond, gflops = r.Gflops,
            percentOfCeiling = 100 * r.Gflops / result.Gemm.Ceiling,
            scratchOverTorch = BenchTargets.SpeedupOverTorch(r, result.Rows),
        }),
        gemm = new
        {
            size = result.Gemm.Size, threads = 1,
            libraries = result.Gemm.Measurements.Select(m => new { library = m.Library, gflops = m.Gflops, note = m.Note }),
            ceilingGflops = result.Gemm.Ceiling, scratchNetShare = result.Gemm.ScratchNetShare,
        },
        evaluationMilliseconds = result.Evaluation.Select(e => new { precision = e.Precision, median = e.Median, min = e.Min, max = e.Max, all = e.Milliseconds }),
        reproduceQuick = result.Reproduce is { Full: false } r ? Reproduce(r) : null,
        reproduceFull = result.Reproduce is { Full: true } f ? Reproduce(f) : null,
        targets = AllChecks(result).Select(t => new { target = t.Target, measured = t.Measured, met = t.Met }),
    }, JsonOptions);

    private static object Reproduce(ReproduceMeasurement r) =>
        new { exitCode = r.ExitCode, wallSeconds = r.WallSeconds, peakRssKiB = r.PeakRssKiB, peakRssMegabytes = r.PeakRssMegabytes, benchRssMegabytesAtStart = r.ParentRssMegabytes, error = r.Error };

    /// <summary>Writes bench-&lt;UTC time&gt;.csv and .json into the output folder atomically; returns their paths.</summary>
    public static IReadOnlyList<string> Write(BenchResult result, IReadOnlyList<string> arguments)
    {
        Directory.CreateDirectory(result.Settings.OutDir);
        var stamp = result.StartedUtc.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var csv = Path.Combine(result.Settings.OutDir, $"bench-{stamp}.csv");
        var json = Path.Combine(result.Settings.OutDir, $"bench-{stamp}.json");
        AtomicFile.WriteAllText(csv, Csv(result));
        AtomicFile.WriteAllText(json, Json(result, arguments));
        return [csv, json];
    }

    private static string Join(IReadOnlyList<TargetCheck> checks, Func<TargetCheck, string> part) =>
        checks.Count == 0 ? "" : string.Join("; ", checks.Select(part));

    private static string Quote(string field) => field.Length == 0 ? "" : $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static string Ratio(double? ratio) => ratio is { } r ? r.ToString("F2", CultureInfo.InvariantCulture) + "×" : "—";

    private static string Percent(double? share) => share is { } s ? (100 * s).ToString("F0", CultureInfo.InvariantCulture) + " %" : "—";

    private static string Gflops(double? gflops) => gflops is { } g ? g.ToString("F1", CultureInfo.InvariantCulture) : "not measured";
}
