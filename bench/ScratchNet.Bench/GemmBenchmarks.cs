using BenchmarkDotNet.Attributes;
using ScratchNet.Tensors;

namespace ScratchNet.Bench;

/// <summary>float32 C = A·B at n³, ScratchNet against OpenBLAS cblas_sgemm, both on one thread, in the same run.
/// Ratio is time / OpenBLAS time, so speed relative to OpenBLAS is 1 / Ratio.</summary>
[Config(typeof(GflopsConfig))]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    [Params(256, 512, 1024)]
    public int Size { get; set; }

    public static double Flops(string method, int size) => 2.0 * size * size * size;

    [GlobalSetup]
    public void Setup()
    {
        OpenBlas.SetThreads(1);
        var random = new Random(1);
        _a = QuickGemm.RandomArray(random, Size * Size);
        _b = QuickGemm.RandomArray(random, Size * Size);
        _c = new float[Size * Size];
    }

    [Benchmark(Baseline = true)]
    public void OpenBlasSgemm() => OpenBlas.Gemm(Size, Size, Size, 1f, _a, _b, 0f, _c);

    [Benchmark]
    public void ScratchGemm() => Gemm.Multiply(GemmLayout.Normal, Size, Size, Size, 1f, _a, _b, 0f, _c, maxThreads: 1);
}

/// <summary>The three layouts training uses, at 512³, one thread, plus two threads for the normal layout.</summary>
[Config(typeof(GflopsConfig))]
public class GemmLayoutBenchmarks
{
    private const int N = 512;
    private float[] _a = [], _b = [], _c = [];

    public static double Flops(string method, int size) => 2.0 * N * N * N;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2);
        _a = QuickGemm.RandomArray(random, N * N);
        _b = QuickGemm.RandomArray(random, N * N);
        _c = new float[N * N];
    }

    [Benchmark(Baseline = true)]
    public void Normal() => Gemm.Multiply(GemmLayout.Normal, N, N, N, 1f, _a, _b, 0f, _c);

    [Benchmark]
    public void TransposeB() => Gemm.Multiply(GemmLayout.TransposeB, N, N, N, 1f, _a, _b, 0f, _c);

    [Benchmark]
    public void TransposeA() => Gemm.Multiply(GemmLayout.TransposeA, N, N, N, 1f, _a, _b, 1f, _c);

    [Benchmark]
    public void NormalTwoThreads() => Gemm.Multiply(GemmLayout.Normal, N, N, N, 1f, _a, _b, 0f, _c, maxThreads: 2);
}
