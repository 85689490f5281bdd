using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using ScratchNet.Data;
using ScratchNet.Models;
using ScratchNet.Randomness;
using ScratchNet.Tensors;

namespace ScratchNet.Bench;

/// <summary>
/// `profile --small-steps`: the fused per-example step's parts other than the W1 sweep, one timestamp around each
/// kernel call, re-enacted from the public kernels in the order <see cref="Training.Fast.PerExampleMlpSgd{T}"/> and
/// <see cref="Mlp{T}"/> call them (ReLU, layer-2 forward, softmax; softmax backward, dh = W2 dz where z1 &gt; 0,
/// ReLU backward; b1, layer-2 update, b2, the deferred coefficients). Medians over every example, in µs; each
/// timestamp adds ~20 ns, so the parts sum above the coarse medians. Also the share of examples whose dz2 holds a
/// subnormal number (arithmetic on those is slow, and float32's softmax makes them often).
/// </summary>
internal static partial class EpochProfile
{
    private static readonly string[] SmallStepNames =
    [
        "gather", "W1 sweep", "relu", "L2 fwd", "softmax", "sm bwd", "dh=W2dz", "relu bwd", "b1", "L2 upd", "b2", "pending",
    ];

    private static void MedianSmallSteps<T>(string precision, LabeledImages train) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var order = new NumpyRandomState(42).Permutation(train.Count);
        var learningRate = T.CreateChecked(0.001);
        var model = NewModel<T>();
        var (first, second) = (model.Network.Layers[0], model.Network.Layers[1]);
        var scale = T.CreateChecked(LabeledImages.PixelScale);
        int[] rows = new int[first.In], pendingRows = new int[first.In];
        T[] values = new T[first.In], pendingCoefficients = new T[first.In], pendingGradient = new T[first.Out];
        T[] z1 = new T[first.Out], h1 = new T[first.Out], z2 = new T[second.Out], p = new T[second.Out];
        T[] dz2 = new T[second.Out], dz1 = new T[first.Out];
        var (pending, subnormal) = (0, 0);
        var ticks = new long[SmallStepNames.Length, order.Length];
        var stamps = new long[SmallStepNames.Length + 1];
        for (var i = 0; i < order.Length; i++)
        {
            var (index, s) = (order[i], 0);
            stamps[s++] = Stopwatch.GetTimestamp();
            var count = NonZeroInputs.GatherNonZero(train.Pixels(index), scale, rows, values);
            stamps[s++] = Stopwatch.GetTimestamp();
            first.Bias.Value.CopyTo(z1);
            NonZeroInputs.UpdateThenAccumulate<T>(pendingRows.AsSpan(0, pending), pendingCoefficients.AsSpan(0, pending), pendingGradient,
                rows.AsSpan(0, count), values.AsSpan(0, count), first.Weight.Value, z1);
            stamps[s++] = Stopwatch.GetTimestamp();
            Models.ActivationFunction.Forward<T>(Activation.Relu, z1, h1);
            stamps[s++] = Stopwatch.GetTimestamp();
            second.Forward(h1, z2);
            stamps[s++] = Stopwatch.GetTimestamp();
            SoftmaxCrossEntropy.Forward<T>(z2, train.Label(index), p);
            stamps[s++] = Stopwatch.GetTimestamp();
            SoftmaxCrossEntropy.Backward<T>(p, train.Label(index), dz2);
            stamps[s++] = Stopwatch.GetTimestamp();
            subnormal += dz2.Any(T.IsSubnormal) ? 1 : 0;
            second.BackwardInputWherePositive(dz2, z1, dz1);
            stamps[s++] = Stopwatch.GetTimestamp();
            if (model.Network.Activation != Activation.Relu) // as FeedForward.Backward: dh already carries ReLU′
                Models.ActivationFunction.Backward<T>(model.Network.Activation, z1, h1, dz1, dz1);
            stamps[s++] = Stopwatch.GetTimestamp();
            first.BiasSgdStep(dz1, learningRate);
            stamps[s++] = Stopwatch.GetTimestamp();
            NonZeroInputs.Rank1Update<T>(h1, dz2, -learningRate, second.Weight.Value);
            stamps[s++] = Stopwatch.GetTimestamp();
            second.BiasSgdStep(dz2, learningRate);
            stamps[s++] = Stopwatch.GetTimestamp();
            DeferCoefficients(values.AsSpan(0, count), -learningRate, pendingCoefficients);
            dz1.CopyTo(pendingGradient);
            (rows, pendingRows, pending) = (pendingRows, rows, count);
            stamps[s] = Stopwatch.GetTimestamp();
            for (var k = 0; k < SmallStepNames.Length; k++)
                ticks[k, i] = stamps[k + 1] - stamps[k];
        }
        var medians = Enumerable.Range(0, SmallStepNames.Length).Select(k => Median(ticks, k)).ToArray();
        var header = string.Join(' ', SmallStepNames.Select(name => $"{name,8}"));
        Console.WriteLine($"{precision,-9} small-step medians (µs); {100.0 * subnormal / order.Length:F1}% of the examples have a subnormal dz2 (softmax) entry:");
        Console.WriteLine($"  {header}");
        Console.WriteLine($"  {string.Join(' ', medians.Select(m => $"{m,8}"))}  all but the sweep {SumExceptSweep(ticks).ToString("F2", CultureInfo.InvariantCulture)}");
    }

    // PerExampleMlpSgd's loop, in a method of its own: inline in the long profiling loop it ran as on-stack-replaced
    // code and showed ~1.2 µs, where the step itself (tier-1 code) does not change measurably with a vectorised loop
    private static void DeferCoefficients<T>(ReadOnlySpan<T> values, T alpha, Span<T> coefficients) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var k = 0; k < values.Length; k++)
            coefficients[k] = alpha * values[k];
    }

    // the median over examples of the per-example sum of every part except the W1 sweep
    private static double SumExceptSweep(long[,] ticks)
    {
        var sums = new double[ticks.GetLength(1)];
        for (var i = 0; i < sums.Length; i++)
        {
            for (var k = 0; k < ticks.GetLength(0); k++)
                sums[i] += k == 1 ? 0 : ticks[k, i] * 1e6 / Stopwatch.Frequency;
        }
        return Statistics.Median(sums);
    }
}
