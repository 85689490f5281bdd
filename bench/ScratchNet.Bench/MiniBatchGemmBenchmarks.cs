using BenchmarkDotNet.Attributes;
using ScratchNet.Tensors;

namespace ScratchNet.Bench;

/// <summary>
/// The MLP's first-layer GEMMs at mini-batch sizes (float32, one thread), ScratchNet and OpenBLAS side by side:
/// forward Z = X·W (N × 784 · 784 × 200), weight gradient dW = Xᵀ·dZ, and input gradient dX = dZ·Wᵀ with W stored
/// 784 × 200 as for the forward pass.
/// </summary>
[Config(typeof(GflopsConfig))]
public class MiniBatchGemmBenchmarks
{
    private const int D = 784, H = 200;
    private float[] _x = [], _w = [], _z = [], _dw = [], _dx = [];

    [Params(16, 64, 256)]
    public int Size { get; set; }

    public static double Flops(string method, int size) => 2.0 * size * D * H;

    [GlobalSetup]
    public void Setup()
    {
        OpenBlas.SetThreads(1);
        var random = new Random(4);
        _x = QuickGemm.RandomArray(random, Size * D);
        _w = QuickGemm.RandomArray(random, D * H);
        _z = QuickGemm.RandomArray(random, Size * H);
        _dw = new float[D * H];
        _dx = new float[Size * D];
    }

    [Benchmark]
    public void ForwardScratch() => Gemm.Multiply(GemmLayout.Normal, Size, H, D, 1f, _x, _w, 0f, _z);

    [Benchmark]
    public void ForwardOpenBlas() => OpenBlas.Gemm(GemmLayout.Normal, Size, H, D, 1f, _x, _w, 0f, _z);

    [Benchmark]
    public void WeightGradientScratch() => Gemm.Multiply(GemmLayout.TransposeA, D, H, Size, 1f, _x, _z, 0f, _dw);

    [Benchmark]
    public void WeightGradientOpenBlas() => OpenBlas.Gemm(GemmLayout.TransposeA, D, H, Size, 1f, _x, _z, 0f, _dw);

    [Benchmark]
    public void InputGradientScratch() => Gemm.Multiply(GemmLayout.TransposeB, Size, D, H, 1f, _z, _w, 0f, _dx);

    [Benchmark]
    public void InputGradientOpenBlas() => OpenBlas.Gemm(GemmLayout.TransposeB, Size, D, H, 1f, _z, _w, 0f, _dx);
}
