using BenchmarkDotNet.Attributes;
using ScratchNet.Data;
using ScratchNet.Models;
using ScratchNet.Randomness;
using ScratchNet.Runs;
using ScratchNet.Tensors;
using ScratchNet.Training;
using ScratchNet.Training.Fast;

namespace ScratchNet.Bench;

/// <summary>
/// The MLP's first-layer products at mini-batch sizes (float32, one thread) on real Fashion-MNIST pixels:
/// forward Z = X·W (N × 784 · 784 × 200), weight gradient dW = Xᵀ·dZ and input gradient dX = dZ·Wᵀ through
/// ScratchNet's GEMM and OpenBLAS; the compressed-rows alternative that skips zero pixels (building X or Xᵀ from
/// the bytes included, as the training step does); and the whole mini-batch step (<see cref="BatchedMlpStep{T}"/>
/// forward + backward + SGD step) with each first-layer kernel, which is what picks
/// <see cref="BatchedMlpStep{T}.GemmFromBatch"/>. GFLOP/s counts the dense 2·N·784·200 of one product (the non-zero
/// rows do about half of it), and the epoch benchmark's per-example count × N for the whole step.
/// </summary>
[Config(typeof(GflopsConfig))]
public class MiniBatchGemmBenchmarks
{
    private const int D = 784, H = 200;
    private const float Scale = 1f / 256;
    private byte[] _pixels = [];
    private float[] _x = [], _w = [], _z = [], _dw = [], _dx = [], _values = [];
    private int[] _starts = [], _columns = [], _transposedStarts = [], _indices = [];
    private LabeledImages? _train;
    private BatchedMlpStep<float>? _nonZeroStep, _gemmStep;
    private Optimizer<float>? _nonZeroOptimizer, _gemmOptimizer;

    [Params(16, 64, 256)]
    public int Size { get; set; }

    public static double Flops(string method, int size) =>
        method.StartsWith("MiniBatchStep", StringComparison.Ordinal) ? EpochWorkloads.FlopsPerExample * size : 2.0 * size * D * H;

    [GlobalSetup]
    public void Setup()
    {
        OpenBlas.SetThreads(1);
        var random = new Random(4);
        _train = FashionMnist.Load().Train;
        _indices = [.. Enumerable.Range(0, Size).Select(i => i * 97 % _train.Count)];
        _pixels = _train.Subset(_indices).AllPixels.ToArray();
        _x = [.. _pixels.Select(p => p * Scale)];
        _w = QuickGemm.RandomArray(random, D * H);
        _z = QuickGemm.RandomArray(random, Size * H);
        _dw = new float[D * H];
        _dx = new float[Size * D];
        (_starts, _transposedStarts) = (new int[Size + 1], new int[D + 1]);
        (_columns, _values) = (new int[Size * D], new float[Size * D]);
        (_nonZeroStep, _nonZeroOptimizer) = Step(FirstLayerKernel.NonZero);
        (_gemmStep, _gemmOptimizer) = Step(FirstLayerKernel.Gemm);
    }

    private (BatchedMlpStep<float>, Optimizer<float>) Step(FirstLayerKernel kernel)
    {
        var model = new Mlp<float>(D, [H], 10);
        model.Initialize(InitKind.Course, new NumpyRandomState(42));
        return (new BatchedMlpStep<float>(model, Size, maxThreads: 1, kernel), new Optimizer<float>(OptimizerKind.Sgd, 0.001, 0, model.Parameters));
    }

    [Benchmark]
    public void ForwardScratch() => Gemm.Multiply(GemmLayout.Normal, Size, H, D, 1f, _x, _w, 0f, _z);

    [Benchmark]
    public void ForwardOpenBlas() => OpenBlas.Gemm(GemmLayout.Normal, Size, H, D, 1f, _x, _w, 0f, _z);

    [Benchmark]
    public void ForwardNonZero()
    {
        var entries = CompressedRows.FromPixels(_pixels, D, Scale, _starts, _columns, _values);
        CompressedRows.MultiplyAdd<float>(_starts, _columns.AsSpan(0, entries), _values.AsSpan(0, entries), _w, H, _z);
    }

    [Benchmark]
    public void WeightGradientScratch() => Gemm.Multiply(GemmLayout.TransposeA, D, H, Size, 1f, _x, _z, 0f, _dw);

    [Benchmark]
    public void WeightGradientOpenBlas() => OpenBlas.Gemm(GemmLayout.TransposeA, D, H, Size, 1f, _x, _z, 0f, _dw);

    [Benchmark]
    public void WeightGradientNonZero()
    {
        var entries = CompressedRows.FromPixelsTransposed(_pixels, D, Scale, _transposedStarts, _columns, _values);
        CompressedRows.MultiplyAdd<float>(_transposedStarts, _columns.AsSpan(0, entries), _values.AsSpan(0, entries), _z, H, _dw);
    }

    [Benchmark]
    public void InputGradientScratch() => Gemm.Multiply(GemmLayout.TransposeB, Size, D, H, 1f, _z, _w, 0f, _dx);

    [Benchmark]
    public void InputGradientOpenBlas() => OpenBlas.Gemm(GemmLayout.TransposeB, Size, D, H, 1f, _z, _w, 0f, _dx);

    [Benchmark]
    public double MiniBatchStepNonZero()
    {
        var loss = _nonZeroStep!.Accumulate(_train!, _indices, dropout: null);
        _nonZeroOptimizer!.Step(Size);
        return loss;
    }

    [Benchmark]
    public double MiniBatchStepGemm()
    {
        var loss = _gemmStep!.Accumulate(_train!, _indices, dropout: null);
        _gemmOptimizer!.Step(Size);
        return loss;
    }
}
