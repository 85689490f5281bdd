using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using ScratchNet.Data;
using ScratchNet.Models;
using ScratchNet.Randomness;
using ScratchNet.Training.Fast;

namespace ScratchNet.Bench;

/// <summary>
/// `dotnet run -c Release --project bench/ScratchNet.Bench -- split-profile [--examples N]`: the per-example MLP step
/// on one thread against the two-thread column split (<see cref="SplitFirstLayer{T}"/>), alternating blocks of 500
/// examples on twin models, and the first-layer sweep alone both ways. Reports each step's median and mean µs: the
/// median shows the undisturbed cost on a shared machine, the mean what an epoch pays. With <c>--widths</c>: the
/// one-thread float32 sweep over W1 of several widths (200 columns is 627 KB, more than a core's 512 KB L2; 104 is
/// 326 KB), per column — whether the sweep is bound by the L2's capacity or by the traffic between L1 and L2.
/// </summary>
internal static class SplitProfile
{
    public static int Run(string[] args)
    {
        var widths = args.Contains("--widths");
        args = [.. args.Where(a => a != "--widths")];
        if (args.Length is not (1 or 3) || (args.Length == 3 && args[1] != "--examples"))
            throw new UsageException("split-profile takes the options --examples N and --widths.");
        var examples = args.Length == 3 ? BenchSettings.Count(args[1], args[2], EpochWorkloads.FullEpoch) : 20_000;
        var data = FashionMnist.Load();
        var train = data.Train.Take(Math.Min(examples, data.Train.Count));
        Console.WriteLine($"per-example MLP 784-200-10 step, 1 thread vs 2 (column split), {train.Count:N0} examples; load average {MachineInfo.LoadAverage()}");
        if (widths)
        {
            foreach (var hidden in new[] { 200, 104, 96, 64, 32, 200, 104 })
                Width<float>(train, hidden);
            return 0;
        }
        Steps<float>("float32", train);
        Steps<double>("float64", train);
        Sweeps<float>("float32", train);
        Sweeps<double>("float64", train);
        Console.WriteLine($"load average after {MachineInfo.LoadAverage()}");
        return 0;
    }

    private static void Steps<T>(string precision, LabeledImages train) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int block = 500;
        var order = new NumpyRandomState(42).Permutation(train.Count);
        var learningRate = T.CreateChecked(0.001);
        using var single = new PerExampleMlpSgd<T>(NewModel<T>(), T.CreateChecked(LabeledImages.PixelScale), threads: 1);
        using var split = new PerExampleMlpSgd<T>(NewModel<T>(), T.CreateChecked(LabeledImages.PixelScale), threads: 2);
        var (one, two) = (new List<double>(), new List<double>());
        for (var first = 0; first + block <= order.Length; first += block)
        {
            foreach (var (sgd, ticks) in new[] { (single, one), (split, two) })
            {
                foreach (var index in order.AsSpan(first, block))
                {
                    var start = Stopwatch.GetTimestamp();
                    sgd.Step(train.Pixels(index), train.Label(index), learningRate, null);
                    ticks.Add((Stopwatch.GetTimestamp() - start) * 1e6 / Stopwatch.Frequency);
                }
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{precision,-9} step µs: 1 thread median {Statistics.Median([.. one]):F2} mean {one.Average():F2}; "
            + $"2 threads median {Statistics.Median([.. two]):F2} mean {two.Average():F2}  → per 50,000 by median: {Statistics.Median([.. one]) * 0.05:F3} s vs {Statistics.Median([.. two]) * 0.05:F3} s"));
    }

    // the first layer alone (gather, the previous example's deferred update, this one's z1), one thread vs split
    private static void Sweeps<T>(string precision, LabeledImages train) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int hidden = 200;
        var order = new NumpyRandomState(42).Permutation(train.Count);
        var features = train.Features;
        var scale = T.CreateChecked(LabeledImages.PixelScale);
        var alpha = T.CreateChecked(-1e-3);
        var w = NewModel<T>().Network.Layers[0].Weight.Value;
        var (dz, z) = (new T[hidden], new T[hidden]);
        for (var c = 0; c < hidden; c++)
            dz[c] = T.CreateChecked(1e-3 * (c % 7 - 3));
        int[] rows = new int[features], pendingRows = new int[features];
        T[] values = new T[features], pendingCoefficients = new T[features];
        var pending = 0;
        using var split = new SplitFirstLayer<T>(features, hidden);
        split.Load(w);
        var (one, two) = (new List<double>(), new List<double>());
        foreach (var index in order)
        {
            var start = Stopwatch.GetTimestamp();
            var count = Tensors.NonZeroInputs.GatherNonZero(train.Pixels(index), scale, rows, values);
            Tensors.NonZeroInputs.UpdateThenAccumulate<T>(pendingRows.AsSpan(0, pending), pendingCoefficients.AsSpan(0, pending), dz,
                rows.AsSpan(0, count), values.AsSpan(0, count), w, z);
            for (var k = 0; k < count; k++)
                pendingCoefficients[k] = alpha * values[k];
            (rows, pendingRows, pending) = (pendingRows, rows, count);
            var middle = Stopwatch.GetTimestamp();
            split.Step(train.Pixels(index), scale, alpha, dz, z);
            var end = Stopwatch.GetTimestamp();
            one.Add((middle - start) * 1e6 / Stopwatch.Frequency);
            two.Add((end - middle) * 1e6 / Stopwatch.Frequency);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{precision,-9} first layer (gather + sweep) µs: one thread median {Statistics.Median([.. one]):F2} mean {one.Average():F2}; "
            + $"split median {Statistics.Median([.. two]):F2} mean {two.Average():F2}; the owner ran the partner's half {split.Partner.RunByOwner:N0} times"));
    }

    private static void Width<T>(LabeledImages train, int hidden) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var order = new NumpyRandomState(42).Permutation(train.Count);
        var (rows, values) = Gathered<T>(train, order);
        var w = new T[train.Features * hidden];
        for (var k = 0; k < w.Length; k++)
            w[k] = T.CreateChecked(0.01 * (k % 13));
        var (dz, z) = (new T[hidden], new T[hidden]);
        for (var c = 0; c < hidden; c++)
            dz[c] = T.CreateChecked(1e-6 * (c % 7 - 3));
        var (fused, accumulate) = (new List<double>(), new List<double>());
        for (var i = 1; i < order.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            Tensors.NonZeroInputs.UpdateThenAccumulate<T>(rows[i - 1], values[i - 1], dz, rows[i], values[i], w, z);
            var middle = Stopwatch.GetTimestamp();
            Tensors.NonZeroInputs.UpdateThenAccumulate<T>([], [], dz, rows[i], values[i], w, z);
            accumulate.Add((Stopwatch.GetTimestamp() - middle) * 1e6 / Stopwatch.Frequency);
            fused.Add((middle - start) * 1e6 / Stopwatch.Frequency);
        }
        var median = Statistics.Median([.. fused]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"W1 784 × {hidden} ({train.Features * hidden * 4 / 1024} KB): update + forward sweep median {median:F2} µs ({median / hidden * 1000:F1} ns per column); "
            + $"forward alone {Statistics.Median([.. accumulate]):F2} µs; {rows.Average(r => r.Length):F0} non-zero pixels per image"));
    }

    private static (int[][] Rows, T[][] Values) Gathered<T>(LabeledImages train, int[] order) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rows = new int[order.Length][];
        var values = new T[order.Length][];
        var (rowBuffer, valueBuffer) = (new int[train.Features], new T[train.Features]);
        for (var i = 0; i < order.Length; i++)
        {
            var count = Tensors.NonZeroInputs.GatherNonZero(train.Pixels(order[i]), T.CreateChecked(LabeledImages.PixelScale), rowBuffer, valueBuffer);
            (rows[i], values[i]) = (rowBuffer[..count], valueBuffer[..count]);
        }
        return (rows, values);
    }

    private static Mlp<T> NewModel<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = new Mlp<T>(FashionMnist.Features, [200], FashionMnist.Classes);
        model.Initialize(InitKind.Course, new NumpyRandomState(42));
        return model;
    }
}
