using System.Diagnostics;
using ScratchNet.Tensors;

namespace ScratchNet.Bench;

/// <summary>
/// `dotnet run -c Release --project bench/ScratchNet.Bench -- quick [threads]`: a fast side-by-side GFLOP/s check of
/// ScratchNet's float32 GEMM against OpenBLAS (best of several timed repetitions), for iterating on the kernel.
/// BenchmarkDotNet (the other commands) is the measurement of record.
/// </summary>
internal static class QuickGemm
{
    public static void Run(int threads)
    {
        OpenBlas.SetThreads(threads);
        Console.WriteLine($"float32 GEMM, {threads} thread(s); best of repetitions; load {MachineInfo.LoadAverage()}");
        Console.WriteLine($"{"size",8} {"scratch GF/s",13} {"openblas GF/s",14} {"ratio",7}");
        foreach (int size in new[] { 256, 512, 1024 })
        {
            var random = new Random(1);
            float[] a = RandomArray(random, size * size), b = RandomArray(random, size * size);
            float[] c = new float[size * size];
            double flops = 2.0 * size * size * size;
            double ours = Best(() => Gemm.Multiply(GemmLayout.Normal, size, size, size, 1f, a, b, 0f, c, threads), flops);
            double blas = Best(() => OpenBlas.Gemm(size, size, size, 1f, a, b, 0f, c), flops);
            Console.WriteLine($"{size,8} {ours,13:F1} {blas,14:F1} {ours / blas,7:P0}");
        }
        Console.WriteLine("MLP first layer (D = 784, H = 200) at batch N:");
        foreach (int batch in new[] { 16, 64, 256 })
        {
            const int d = 784, h = 200;
            var random = new Random(2);
            float[] x = RandomArray(random, batch * d), w = RandomArray(random, d * h), z = RandomArray(random, batch * h);
            float[] dw = new float[d * h], dx = new float[batch * d];
            double flops = 2.0 * batch * d * h;
            (string Name, GemmLayout Layout, int M, int N, int K, float[] A, float[] B, float[] C)[] cases =
            [
                ("X·W", GemmLayout.Normal, batch, h, d, x, w, z),
                ("Xᵀ·dZ", GemmLayout.TransposeA, d, h, batch, x, z, dw),
                ("dZ·Wᵀ", GemmLayout.TransposeB, batch, d, h, z, w, dx),
            ];
            foreach (var c in cases)
            {
                double ours = Best(() => Gemm.Multiply(c.Layout, c.M, c.N, c.K, 1f, c.A, c.B, 0f, c.C, threads), flops);
                double blas = Best(() => OpenBlas.Gemm(c.Layout, c.M, c.N, c.K, 1f, c.A, c.B, 0f, c.C), flops);
                Console.WriteLine($"{$"N={batch} {c.Name}",14} {ours,7:F1} {blas,14:F1} {ours / blas,7:P0}");
            }
        }
    }

    private static double Best(Action action, double flops)
    {
        action();
        double best = double.MaxValue;
        var total = Stopwatch.StartNew();
        for (int rep = 0; rep < 2000 && (rep < 5 || total.Elapsed.TotalSeconds < 1.0); rep++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return flops / best / 1e9;
    }

    internal static float[] RandomArray(Random random, int length) => GemmCeilingBenchmark.RandomArray(random, length);
}
