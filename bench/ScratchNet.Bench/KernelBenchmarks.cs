using BenchmarkDotNet.Attributes;
using ScratchNet.Tensors;

namespace ScratchNet.Bench;

/// <summary>
/// The per-example MLP's kernels at its shapes (784 inputs, 200 hidden, 10 classes), float32: the first layer on raw
/// pixels (synthetic, half of them zero like Fashion-MNIST), the dense GEMV and the dense rank-1 update (the baseline of the sparse one).
/// </summary>
[Config(typeof(GflopsConfig))]
public class KernelBenchmarks
{
    private const int Inputs = 784, Hidden = 200, Classes = 10;
    private const float PixelScale = 1f / 256;
    private byte[] _pixels = [];
    private float[] _x = [];
    private float[] _w1 = [], _z = [], _dz = [], _w2 = [], _h = [], _logits = [];

    public static double Flops(string method, int size) => method switch
    {
        nameof(NonZeroForwardBytes) or nameof(NonZeroRank1UpdateBytes) or nameof(DenseRank1Update) => 2.0 * Inputs * Hidden,
        nameof(Gemv) => 2.0 * Hidden * Classes,
        _ => 0,
    };

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        _pixels = new byte[Inputs];
        for (int j = 0; j < Inputs; j++)
            _pixels[j] = random.NextDouble() < 0.5 ? (byte)0 : (byte)random.Next(1, 256);
        _x = _pixels.Select(p => p * PixelScale).ToArray();
        _w1 = QuickGemm.RandomArray(random, Inputs * Hidden);
        _z = new float[Hidden];
        _dz = QuickGemm.RandomArray(random, Hidden);
        _w2 = QuickGemm.RandomArray(random, Classes * Hidden);
        _h = QuickGemm.RandomArray(random, Hidden);
        _logits = QuickGemm.RandomArray(random, Classes);
    }

    [Benchmark]
    public void NonZeroForwardBytes() => NonZeroInputs.AccumulateTransposed(_pixels, PixelScale, _w1, _z);

    [Benchmark]
    public void NonZeroRank1UpdateBytes() => NonZeroInputs.Rank1Update(_pixels, PixelScale, _dz, -1e-9f, _w1);

    [Benchmark]
    public void DenseRank1Update() => Tensors.Gemv.Rank1Update(_x, _dz, -1e-9f, _w1);

    [Benchmark]
    public void Gemv() => Tensors.Gemv.Multiply(_w2, Classes, Hidden, _h, 1f, 0f, _logits);
}
