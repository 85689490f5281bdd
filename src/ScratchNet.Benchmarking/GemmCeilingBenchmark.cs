using System.Diagnostics;
using ScratchNet.Tensors;
using ScratchNet.Torch;

namespace ScratchNet.Benchmarking;

/// <summary>
/// The machine's sgemm ceiling, measured in the same run as the training table: float32 C = A·B (n × n) on one thread
/// with libtorch's <c>torch.mm</c> (MKL/oneDNN inside libtorch), OpenBLAS's <c>cblas_sgemm</c> when libopenblas.so.0 loads,
/// and ScratchNet's own <see cref="Gemm"/>; repetitions interleaved, median time per library.
/// </summary>
public static class GemmCeilingBenchmark
{
    public const string TorchLibrary = "libtorch torch.mm";
    public const string OpenBlasLibrary = "OpenBLAS cblas_sgemm";

    public static GemmCeiling Measure(int size, int reps)
    {
        var random = new Random(1);
        float[] a = RandomArray(random, size * size), b = RandomArray(random, size * size), c = new float[size * size];
        var flops = 2.0 * size * size * size;
        var measurements = new List<GemmMeasurement>();
        var timed = new List<(string Library, Action Multiply)>();

        using var torchProduct = TryTorchProduct(a, b, size, out var torchNote);
        if (torchProduct is { } product)
            timed.Add((TorchLibrary, product.Multiply));
        else
            measurements.Add(new GemmMeasurement(TorchLibrary, null, torchNote));
        if (OpenBlas.IsAvailable)
        {
            OpenBlas.SetThreads(1);
            timed.Add((OpenBlasLibrary, () => OpenBlas.Gemm(size, size, size, 1f, a, b, 0f, c)));
        }
        else
        {
            measurements.Add(new GemmMeasurement(OpenBlasLibrary, null, "not installed (sudo apt-get install libopenblas0)"));
        }
        timed.Add((GemmCeiling.ScratchNetLibrary, () => Gemm.Multiply(GemmLayout.Normal, size, size, size, 1f, a, b, 0f, c, maxThreads: 1)));

        foreach (var (_, multiply) in timed)
            multiply(); // warm-up: JIT, packing buffers, libtorch's first call
        var seconds = timed.Select(_ => new List<double>()).ToArray();
        for (var rep = 0; rep < reps; rep++)
        {
            for (var k = 0; k < timed.Count; k++)
            {
                var start = Stopwatch.GetTimestamp();
                timed[k].Multiply();
                seconds[k].Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
        }
        measurements.AddRange(timed.Select((t, k) => new GemmMeasurement(t.Library, flops / Statistics.Median(seconds[k]) / 1e9)));
        // One order whatever was measured or missing: libtorch, OpenBLAS, then ScratchNet's own.
        string[] order = [TorchLibrary, OpenBlasLibrary, GemmCeiling.ScratchNetLibrary];
        return new GemmCeiling(size, [.. measurements.OrderBy(m => Array.IndexOf(order, m.Library))]);
    }

    public static float[] RandomArray(Random random, int length)
    {
        var data = new float[length];
        for (var i = 0; i < length; i++)
            data[i] = (float)(random.NextDouble() * 2 - 1);
        return data;
    }

    // libtorch ships with the torch engine, but a broken install must cost a table row, not the whole benchmark.
    private static TorchMatrixProduct? TryTorchProduct(float[] a, float[] b, int size, out string note)
    {
        try
        {
            note = "";
            return new TorchMatrixProduct(a, b, size);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or NotSupportedException)
        {
            note = $"libtorch failed to load: {e.Message}";
            return null;
        }
    }
}
