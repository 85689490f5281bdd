using System.Globalization;
using System.Text;
using System.Text.Json;
using ScratchNet.Data;
using ScratchNet.Training;

namespace ScratchNet.Bench;

/// <summary>One engine × batch size: the timed repetitions, each scaled to a 50,000-example epoch.</summary>
public sealed record EpochRow(string Engine, string Precision, int Batch, int ExamplesTimed, double[] SecondsPerEpoch)
{
    public double Median => Statistics.Median(SecondsPerEpoch);
    public double Min => SecondsPerEpoch.Min();
    public double Max => SecondsPerEpoch.Max();
    public double ExamplesPerSecond => EpochWorkloads.FullEpoch / Median;
    public double Gflops => EpochWorkloads.FlopsPerExample * ExamplesPerSecond / 1e9;
}

/// <summary>
/// `dotnet run -c Release --project bench/ScratchNet.Bench -- epochs [--examples N] [--torch-batch1-examples N]
/// [--reps R] [--out DIR]`: every engine and batch size in one process, repetitions interleaved (case order rotated
/// each round) so a burst of load on the shared machine hits all rows alike; median and spread per row; a table on
/// the console and epochs-*.csv / epochs-*.json in DIR (default artifacts/bench).
/// </summary>
internal static class QuickEpochs
{
    private static readonly int[] Batches = [1, 16, 64, 256];

    public static int Run(string[] args)
    {
        int examples = EpochWorkloads.FullEpoch, torchBatch1 = 5_000, reps = 5;
        var outDir = Path.Combine("artifacts", "bench");
        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new UsageException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--examples": examples = Count(args[i], value, EpochWorkloads.FullEpoch); break;
                case "--torch-batch1-examples": torchBatch1 = Count(args[i], value, EpochWorkloads.FullEpoch); break;
                case "--reps": reps = Count(args[i], value, 1_000); break;
                case "--out": outDir = value; break;
                default: throw new UsageException($"unknown option {args[i]}: expected --examples, --torch-batch1-examples, --reps or --out.");
            }
            i++;
        }
        torchBatch1 = Math.Clamp(torchBatch1, 1, examples);

        var loadBefore = LoadAverage();
        Console.WriteLine($"MLP 784-200-10 epoch benchmark; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {CpuModel()}; load average {loadBefore}");
        var workloads = new EpochWorkloads(FashionMnist.Load());
        var cases = Batches.SelectMany(batch => new[]
        {
            (Engine: EpochEngine.ScratchFloat32, Batch: batch, Examples: examples),
            (Engine: EpochEngine.ScratchFloat64, Batch: batch, Examples: examples),
            (Engine: EpochEngine.Torch, Batch: batch, Examples: batch == 1 ? torchBatch1 : examples),
        }).ToArray();

        foreach (var c in cases)
            Time(workloads, c.Engine, c.Batch, Math.Min(c.Examples, 2_000)); // JIT and libtorch warm-up, not recorded
        var seconds = cases.Select(_ => new List<double>()).ToArray();
        for (var rep = 0; rep < reps; rep++)
        {
            for (var k = 0; k < cases.Length; k++)
            {
                var index = (k + rep) % cases.Length;
                var c = cases[index];
                seconds[index].Add(Time(workloads, c.Engine, c.Batch, c.Examples) * EpochWorkloads.FullEpoch / c.Examples);
            }
            Console.Error.WriteLine($"  round {rep + 1}/{reps} done, load {LoadAverage()}");
        }
        var rows = cases.Select((c, k) => new EpochRow(c.Engine == EpochEngine.Torch ? "torch" : "scratch",
            c.Engine == EpochEngine.ScratchFloat64 ? "float64" : "float32", c.Batch, c.Examples, [.. seconds[k]])).ToArray();

        // the evaluation path (batched GEMM) and its per-example twin, interleaved so load hits both alike
        var evaluations = new[]
        {
            (Name: "float32", Precision: Precision.Float32, OneByOne: false),
            (Name: "float64", Precision: Precision.Float64, OneByOne: false),
            (Name: "float32 one-by-one", Precision: Precision.Float32, OneByOne: true),
            (Name: "float64 one-by-one", Precision: Precision.Float64, OneByOne: true),
        };
        var evaluation = evaluations.ToDictionary(e => e.Name, _ => new double[reps]);
        foreach (var e in evaluations)
            workloads.EvaluationMilliseconds(e.Precision, e.OneByOne);
        for (var rep = 0; rep < reps; rep++)
        {
            foreach (var e in evaluations)
                evaluation[e.Name][rep] = workloads.EvaluationMilliseconds(e.Precision, e.OneByOne);
        }
        var loadAfter = LoadAverage();

        var table = Table(rows, evaluation, reps, loadBefore, loadAfter);
        Console.Write(table);
        Write(outDir, rows, evaluation, args, loadBefore, loadAfter);
        return 0;
    }

    /// <summary>A whole number from 1 to <paramref name="max"/>, or a usage error naming the option.</summary>
    internal static int Count(string option, string value, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1 && count <= max
            ? count
            : throw new UsageException($"{option} '{value}' is out of range: expected an integer from 1 to {max}.");

    private static double Time(EpochWorkloads workloads, EpochEngine engine, int batch, int examples) => engine switch
    {
        EpochEngine.ScratchFloat32 => workloads.Scratch(Precision.Float32, batch, examples),
        EpochEngine.ScratchFloat64 => workloads.Scratch(Precision.Float64, batch, examples),
        _ => workloads.Torch(batch, examples),
    };

    /// <summary>Torch's median seconds over this row's median: above 1 the scratch engine is faster.</summary>
    private static double SpeedupOverTorch(EpochRow row, EpochRow[] rows) =>
        rows.Single(r => r.Engine == "torch" && r.Batch == row.Batch).Median / row.Median;

    private static string Table(EpochRow[] rows, Dictionary<string, double[]> evaluation, int reps, string loadBefore, string loadAfter)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{reps} interleaved repetitions per row; seconds scaled to one 50,000-example epoch; training steps only.");
        text.AppendLine(CultureInfo.InvariantCulture, $"GFLOP/s = examples/s × {EpochWorkloads.FlopsPerExample:N0} (3 × 2 × (784·200 + 200·10): forward, backward, update).");
        text.AppendLine("speedup = torch's median s/epoch ÷ this row's (scratch/torch in examples/s; > 1 = scratch faster).");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| {"engine",-7} | {"precision",-9} | {"batch",5} | {"examples timed",14} | {"s/epoch median",14} | {"min – max",15} | {"examples/s",10} | {"GFLOP/s",7} | {"speedup vs torch",16} |");
        text.AppendLine("|---------|-----------|------:|---------------:|---------------:|----------------:|-----------:|--------:|-----------------:|");
        foreach (var row in rows)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Engine,-7} | {row.Precision,-9} | {row.Batch,5} | {row.ExamplesTimed,14:N0} | {row.Median,14:F3} | {$"{row.Min:F3} – {row.Max:F3}",15} | {row.ExamplesPerSecond,10:N0} | {row.Gflops,7:F2} | {SpeedupOverTorch(row, rows),15:F2}× |");
        foreach (var (precision, ms) in evaluation)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"scratch {precision} evaluation of the 10,000 dev examples: median {Statistics.Median(ms):F1} ms (min {ms.Min():F1}, max {ms.Max():F1})");
        text.AppendLine(CultureInfo.InvariantCulture, $"load average before {loadBefore}, after {loadAfter}");
        return text.ToString();
    }

    private static void Write(string outDir, EpochRow[] rows, Dictionary<string, double[]> evaluation, string[] args, string loadBefore, string loadAfter)
    {
        Directory.CreateDirectory(outDir);
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var csv = new StringBuilder("engine,precision,batch,examples_timed,seconds_per_epoch_median,seconds_min,seconds_max,examples_per_second,gflops,speedup_vs_torch,seconds_all\n");
        foreach (var row in rows)
            csv.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{row.Engine},{row.Precision},{row.Batch},{row.ExamplesTimed},{row.Median:R},{row.Min:R},{row.Max:R},{row.ExamplesPerSecond:R},{row.Gflops:R},{SpeedupOverTorch(row, rows):R},{string.Join(' ', row.SecondsPerEpoch.Select(s => s.ToString("R", CultureInfo.InvariantCulture)))}"));
        var json = JsonSerializer.Serialize(new
        {
            date = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            command = "epochs " + string.Join(' ', args.Skip(1)),
            cpu = CpuModel(),
            loadAverageBefore = loadBefore,
            loadAverageAfter = loadAfter,
            flopsPerExample = EpochWorkloads.FlopsPerExample,
            flopsFormula = "3 * 2 * (784*200 + 200*10)",
            rows = rows.Select(r => new
            {
                engine = r.Engine, precision = r.Precision, batch = r.Batch, examplesTimed = r.ExamplesTimed,
                secondsPerEpochMedian = r.Median, secondsMin = r.Min, secondsMax = r.Max, secondsAll = r.SecondsPerEpoch,
                examplesPerSecond = r.ExamplesPerSecond, gflops = r.Gflops, speedupVsTorch = SpeedupOverTorch(r, rows),
            }),
            evaluationMilliseconds = evaluation.ToDictionary(e => e.Key, e => new { median = Statistics.Median(e.Value), all = e.Value }),
        }, new JsonSerializerOptions { WriteIndented = true });
        foreach (var (name, content) in new[] { ($"epochs-{stamp}.csv", csv.ToString()), ($"epochs-{stamp}.json", json) })
        {
            var path = Path.Combine(outDir, name);
            File.WriteAllText(path + ".tmp", content);
            File.Move(path + ".tmp", path, overwrite: true);
            Console.WriteLine($"wrote {path}");
        }
    }

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    internal static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : "unknown CPU";
}

internal static class Statistics
{
    public static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
