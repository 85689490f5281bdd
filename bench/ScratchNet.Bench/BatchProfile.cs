using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using ScratchNet.Data;
using ScratchNet.Models;
using ScratchNet.Randomness;
using ScratchNet.Runs;
using ScratchNet.Tensors;
using ScratchNet.Training;
using ScratchNet.Training.Fast;
using TensorActivations = ScratchNet.Tensors.Activations;

namespace ScratchNet.Bench;

/// <summary>
/// `dotnet run -c Release --project bench/ScratchNet.Bench -- batch-profile [--batches N] [--threads T]`: where one float32
/// mini-batch step of the 784-200-10 ReLU MLP spends its time (on T threads, default 1). Replays <see cref="BatchedMlpStep{T}"/>
/// sub-step by sub-step with a timestamp between each (the same public kernels in the same order: the compressed-rows
/// first layer at batch 16, GEMM at 64 and 256), and prints the
/// median µs of each over many batches of 16, 64 and 256, with GFLOP/s for each product at its exact shape next to the
/// 1024³ rate; then the median of the whole <see cref="BatchedMlpStep{T}.Accumulate"/> + optimizer step as the
/// learner runs it, so the replay can be checked against the real thing.
/// </summary>
internal static class BatchProfile
{
    private const int Hidden = 200;

    private static readonly int[] Batches = [16, 64, 256];
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    private static readonly string[] Stages =
    [
        "gather bytes", "X = bytes/256", "Z1 = b1 (copy)", "Z1 += X·W1", "A = relu(Z1)", "Z2 = b2 + A·W2",
        "softmax ± dZ2", "dW2 += Aᵀ·dZ2", "db2", "dA = dZ2·W2ᵀ", "relu backward", "dW1 += Xᵀ·dZ1", "db1", "optimizer",
    ];

    // the compressed-rows first layer (below BatchedMlpStep.GemmFromBatch) builds X in compressed rows for the
    // forward and Xᵀ for the weight gradient (timed with it)
    private static readonly Dictionary<int, string> NonZeroStages = new() { [1] = "X (CSR) build", [11] = "Xᵀ; dW1 += Xᵀ·dZ1" };

    public static int Run(string[] args)
    {
        var (batches, threads) = (200, 1);
        for (var i = 1; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length || args[i] is not ("--batches" or "--threads"))
                throw new UsageException("batch-profile takes the options --batches N (batches timed per batch size) and --threads T (1 or 2).");
            if (args[i] == "--batches")
                batches = BenchSettings.Count(args[i], args[i + 1], 100_000);
            else
                threads = BenchSettings.Count(args[i], args[i + 1], 2);
        }
        var train = FashionMnist.Load().Train;
        Console.WriteLine($"float32 784-200-10 ReLU mini-batch step, {threads} thread(s), median over {batches} batches; load average {MachineInfo.LoadAverage()}");
        foreach (var batch in Batches)
        {
            // past the JIT's tiers: a fixed count of warm-up batches left batch 16 (a few ms in all) timing tier-0 code
            var warmUp = Stopwatch.StartNew();
            while (warmUp.Elapsed < WarmUp)
            {
                ProfileSubSteps(train, batch, 20, threads, print: false);
                WholeStep(train, batch, 20, threads, print: false);
            }
        }
        var square = SquareGflops();
        Console.WriteLine($"reference: 1024³ GEMM {square:F1} GFLOP/s");
        foreach (var batch in Batches)
        {
            ProfileSubSteps(train, batch, batches, threads, print: true);
            WholeStep(train, batch, batches, threads, print: true);
        }
        Console.WriteLine($"load average after {MachineInfo.LoadAverage()}");
        return 0;
    }

    private static void ProfileSubSteps(LabeledImages train, int n, int batches, int threads, bool print)
    {
        var model = NewModel();
        var (first, second) = (model.Network.Layers[0], model.Network.Layers[1]);
        var optimizer = new Optimizer<float>(OptimizerKind.Sgd, 0.001, 0, model.Parameters);
        var (d, k) = (first.In, second.Out);
        var order = new NumpyRandomState(42).Permutation(train.Count);
        var pixels = new byte[n * d];
        var labels = new int[n];
        float[] x = new float[n * d], z1 = new float[n * Hidden], a = new float[n * Hidden], z2 = new float[n * k];
        float[] p = new float[n * k], dz2 = new float[n * k], dz1 = new float[n * Hidden];
        var ticks = new long[Stages.Length, batches];
        var scale = (float)LabeledImages.PixelScale;
        var nonZero = BatchedMlpStep<float>.DefaultFirstLayer(n) == FirstLayerKernel.NonZero;
        int[] xStarts = new int[n + 1], xColumns = new int[n * d], xtStarts = new int[d + 1], xtColumns = new int[n * d];
        float[] xValues = new float[n * d], xtValues = new float[n * d];
        var entries = 0;
        for (var b = 0; b < batches; b++)
        {
            var start = b * n % (train.Count - n);
            var t = Stopwatch.GetTimestamp();
            var s = 0;
            void Mark(long[,] into, int batch)
            {
                var now = Stopwatch.GetTimestamp();
                into[s++, batch] = now - t;
                t = now;
            }
            for (var r = 0; r < n; r++)
            {
                train.Pixels(order[start + r]).CopyTo(pixels.AsSpan(r * d, d));
                labels[r] = train.Label(order[start + r]);
            }
            Mark(ticks, b);
            if (nonZero)
            {
                entries = CompressedRows.FromPixels(pixels, d, scale, xStarts, xColumns, xValues);
            }
            else
            {
                for (var r = 0; r < n; r++)
                {
                    var row = x.AsSpan(r * d, d);
                    TensorPrimitives.ConvertTruncating<byte, float>(pixels.AsSpan(r * d, d), row);
                    TensorPrimitives.Multiply(row, scale, row);
                }
            }
            Mark(ticks, b);
            for (var r = 0; r < n; r++)
                first.Bias.Value.AsSpan().CopyTo(z1.AsSpan(r * Hidden, Hidden));
            Mark(ticks, b);
            if (nonZero)
                CompressedRows.MultiplyAdd<float>(xStarts, xColumns.AsSpan(0, entries), xValues.AsSpan(0, entries), first.Weight.Value, Hidden, z1, threads);
            else
                Gemm.Multiply(GemmLayout.Normal, n, Hidden, d, 1f, x, first.Weight.Value, 1f, z1, threads);
            Mark(ticks, b);
            TensorActivations.Relu<float>(z1, a);
            Mark(ticks, b);
            for (var r = 0; r < n; r++)
                second.Bias.Value.AsSpan().CopyTo(z2.AsSpan(r * k, k));
            Gemm.Multiply(GemmLayout.Normal, n, k, Hidden, 1f, a, second.Weight.Value, 1f, z2, threads);
            Mark(ticks, b);
            for (var r = 0; r < n; r++)
            {
                SoftmaxCrossEntropy.Forward<float>(z2.AsSpan(r * k, k), labels[r], p.AsSpan(r * k, k));
                SoftmaxCrossEntropy.Backward<float>(p.AsSpan(r * k, k), labels[r], dz2.AsSpan(r * k, k));
            }
            Mark(ticks, b);
            Gemm.Multiply(GemmLayout.TransposeA, Hidden, k, n, 1f, a, dz2, 1f, second.Weight.Gradient, threads);
            Mark(ticks, b);
            for (var r = 0; r < n; r++)
                TensorPrimitives.Add(second.Bias.Gradient, dz2.AsSpan(r * k, k), second.Bias.Gradient);
            Mark(ticks, b);
            Gemm.Multiply(GemmLayout.TransposeB, n, Hidden, k, 1f, dz2, second.Weight.Value, 0f, dz1, threads);
            Mark(ticks, b);
            TensorActivations.ReluBackward<float>(z1, dz1, dz1);
            Mark(ticks, b);
            if (nonZero)
            {
                entries = CompressedRows.FromPixelsTransposed(pixels, d, scale, xtStarts, xtColumns, xtValues);
                CompressedRows.MultiplyAdd<float>(xtStarts, xtColumns.AsSpan(0, entries), xtValues.AsSpan(0, entries), dz1, Hidden, first.Weight.Gradient, threads);
            }
            else
                Gemm.Multiply(GemmLayout.TransposeA, d, Hidden, n, 1f, x, dz1, 1f, first.Weight.Gradient, threads);
            Mark(ticks, b);
            for (var r = 0; r < n; r++)
                TensorPrimitives.Add(first.Bias.Gradient, dz1.AsSpan(r * Hidden, Hidden), first.Bias.Gradient);
            Mark(ticks, b);
            optimizer.Step(n);
            Mark(ticks, b);
        }

        if (!print)
            return;
        Console.WriteLine($"batch {n}: sub-step medians (µs per batch){(nonZero ? ", first layer in compressed rows (GFLOP/s counted dense)" : "")}");
        var flops = new Dictionary<int, double>
        {
            [3] = 2.0 * n * d * Hidden, [5] = 2.0 * n * Hidden * k, [7] = 2.0 * Hidden * n * k,
            [9] = 2.0 * n * k * Hidden, [11] = 2.0 * d * n * Hidden,
        };
        var total = 0.0;
        for (var stage = 0; stage < Stages.Length; stage++)
        {
            var micros = MedianMicros(ticks, stage, batches);
            total += micros;
            var rate = flops.TryGetValue(stage, out var f) ? $"  {f / micros / 1e3,6:F1} GFLOP/s" : "";
            var name = nonZero && NonZeroStages.TryGetValue(stage, out var nonZeroName) ? nonZeroName : Stages[stage];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-16} {micros,9:F1}{rate}"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"sum of medians",-16} {total,9:F1}  ({total / n:F2} µs per example)"));
    }

    private static void WholeStep(LabeledImages train, int n, int batches, int threads, bool print)
    {
        var model = NewModel();
        var step = new BatchedMlpStep<float>(model, n, threads);
        var optimizer = new Optimizer<float>(OptimizerKind.Sgd, 0.001, 0, model.Parameters);
        var order = new NumpyRandomState(42).Permutation(train.Count);
        var ticks = new long[1, batches];
        for (var b = 0; b < batches; b++)
        {
            var start = b * n % (train.Count - n);
            var t = Stopwatch.GetTimestamp();
            step.Accumulate(train, order.AsSpan(start, n), null);
            optimizer.Step(n);
            ticks[0, b] = Stopwatch.GetTimestamp() - t;
        }
        if (!print)
            return;
        var micros = MedianMicros(ticks, 0, batches);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  BatchedMlpStep.Accumulate + optimizer, median {micros:F1} µs ({micros / n:F2} µs per example)"));
        Console.WriteLine($"  weights after {batches} batches: SHA-256 {WeightsDigest(model)} (the same for any thread count and build that keeps the results)");
    }

    private static string WeightsDigest(Mlp<float> model)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var parameter in model.Parameters)
            hash.AppendData(MemoryMarshal.AsBytes(parameter.Value.AsSpan()));
        return Convert.ToHexString(hash.GetHashAndReset())[..16];
    }

    private static double SquareGflops()
    {
        const int size = 1024;
        var random = new Random(4);
        float[] a = QuickGemm.RandomArray(random, size * size), b = QuickGemm.RandomArray(random, size * size), c = new float[size * size];
        var best = double.MaxValue;
        for (var rep = 0; rep < 4; rep++)
        {
            var t = Stopwatch.GetTimestamp();
            Gemm.Multiply(GemmLayout.Normal, size, size, size, 1f, a, b, 0f, c);
            best = Math.Min(best, Stopwatch.GetElapsedTime(t).TotalSeconds);
        }
        return 2.0 * size * size * size / best / 1e9;
    }

    private static double MedianMicros(long[,] ticks, int stage, int batches)
    {
        var values = Enumerable.Range(0, batches).Select(b => ticks[stage, b]).Order().ToArray();
        return values[values.Length / 2] * 1e6 / Stopwatch.Frequency;
    }

    private static Mlp<float> NewModel()
    {
        var model = new Mlp<float>(FashionMnist.Features, [Hidden], FashionMnist.Classes);
        model.Initialize(InitKind.Course, new NumpyRandomState(42));
        return model;
    }
}
