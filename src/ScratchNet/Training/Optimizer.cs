using System.Numerics;
using ScratchNet.Models;
using ScratchNet.Runs;

namespace ScratchNet.Training;

/// <summary>
/// Applies one update from the gradients summed over a batch, as PyTorch does with a mean-reduced loss:
/// g = Σ grad / batch + λ w (weight_decay: an L2 term added to the gradient, also for Adam), then SGD or Adam;
/// then the gradients are zeroed. Adam's moments live here, one pair per parameter.
/// </summary>
public sealed class Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
    private readonly T[][] _firstMoment;
    private readonly T[][] _secondMoment;

    public Optimizer(OptimizerKind kind, double learningRate, double weightDecay, IReadOnlyList<Parameter<T>> parameters)
    {
        Kind = kind;
        LearningRate = learningRate;
        WeightDecay = weightDecay;
        Parameters = parameters;
        var adam = kind == OptimizerKind.Adam;
        _firstMoment = parameters.Select(p => adam ? new T[p.Value.Length] : []).ToArray();
        _secondMoment = parameters.Select(p => adam ? new T[p.Value.Length] : []).ToArray();
    }

    public OptimizerKind Kind { get; }
    public double LearningRate { get; }
    public double WeightDecay { get; }
    public IReadOnlyList<Parameter<T>> Parameters { get; }
    public long Steps { get; private set; }

    /// <summary>True when a per-example step is plain SGD, which a model can apply in place (touching only the rows of the non-zero inputs).</summary>
    public bool IsPlainSgd => Kind == OptimizerKind.Sgd && WeightDecay == 0;

    /// <summary>Adam's first moments, one per parameter in storage order (none for SGD): checkpoint state.</summary>
    public IReadOnlyList<T[]> FirstMoments => Kind == OptimizerKind.Adam ? _firstMoment : [];

    /// <summary>Adam's second moments, one per parameter (none for SGD).</summary>
    public IReadOnlyList<T[]> SecondMoments => Kind == OptimizerKind.Adam ? _secondMoment : [];

    public void Step(int batchSize) => StepAllBut(-1, batchSize);

    /// <summary>
    /// A step of every parameter except the one at <paramref name="deferred"/> (−1: none), whose update its caller
    /// applies itself with the same operations (<see cref="Fast.PerExampleMlpAdam{T}"/>); that parameter's gradient is left alone.
    /// </summary>
    internal void StepAllBut(int deferred, int batchSize)
    {
        Steps++;
        var learningRate = T.CreateChecked(LearningRate);
        var decay = T.CreateChecked(WeightDecay);
        var mean = T.One / T.CreateChecked(batchSize);
        for (var p = 0; p < Parameters.Count; p++)
        {
            if (p == deferred)
                continue;
            var value = Parameters[p].Value.AsSpan();
            var gradient = Parameters[p].Gradient.AsSpan();
            if (Kind == OptimizerKind.Adam)
            {
                AdamStep(value, gradient, mean, decay, _firstMoment[p], _secondMoment[p]);
                continue;
            }
            SgdStep(value, gradient, mean, WeightDecay != 0, decay, -learningRate);
        }
    }

    // SGD: g = Σ grad / batch (+ λ w when weight decay is on); w ← g · (−η) + w; then the gradient is zeroed.
    // One fused pass per parameter: each gradient and weight is read once, the weight written and the gradient zeroed
    // in the same sweep. Per element these are exactly the unfused operations, each rounded separately (no FMA), in
    // the same order, so results are bit-identical to the three-pass form and do not depend on the vector width.
    // With weight decay off the λ w term is skipped, not added as zero (w · 0 + g would change −0 and infinite w).
    private static void SgdStep(Span<T> value, Span<T> gradient, T mean, bool withDecay, T decay, T negativeRate)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var width = Vector<T>.Count;
            if (withDecay)
            {
                for (; i <= value.Length - width; i += width)
                {
                    var w = new Vector<T>(value[i..]);
                    var g = new Vector<T>(gradient[i..]) * mean;
                    g = w * decay + g;
                    (g * negativeRate + w).CopyTo(value[i..]);
                    Vector<T>.Zero.CopyTo(gradient[i..]);
                }
            }
            else
            {
                for (; i <= value.Length - width; i += width)
                {
                    var g = new Vector<T>(gradient[i..]) * mean;
                    (g * negativeRate + new Vector<T>(value[i..])).CopyTo(value[i..]);
                    Vector<T>.Zero.CopyTo(gradient[i..]);
                }
            }
        }
        for (; i < value.Length; i++)
        {
            var g = gradient[i] * mean;
            if (withDecay)
                g = value[i] * decay + g;
            value[i] = g * negativeRate + value[i];
            gradient[i] = T.Zero;
        }
    }

    // PyTorch's Adam: g = Σ grad / batch + λ w; m ← β1 m + (1 − β1) g; v ← β2 v + (1 − β2) g²;
    // w ← w − (η / (1 − β1ᵗ)) m / (√v / √(1 − β2ᵗ) + ε); then the gradient is zeroed.
    // One fused pass: per-example Adam touches every weight at every step, so this loop is the step's cost.
    // The vector body performs exactly the scalar tail's operations (no FMA), so results do not depend on the width.
    private void AdamStep(Span<T> value, Span<T> gradient, T mean, T decay, Span<T> m, Span<T> v)
    {
        var beta1 = T.CreateChecked(Beta1);
        var beta2 = T.CreateChecked(Beta2);
        var oneMinusBeta1 = T.One - beta1;
        var oneMinusBeta2 = T.One - beta2;
        var epsilon = T.CreateChecked(Epsilon);
        var (stepSize, correction2Root) = AdamScalars(Steps);
        var i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var width = Vector<T>.Count;
            for (; i <= value.Length - width; i += width)
            {
                var w = new Vector<T>(value[i..]);
                var g = new Vector<T>(gradient[i..]) * mean + w * decay;
                var mi = new Vector<T>(m[i..]) * beta1 + g * oneMinusBeta1;
                var vi = new Vector<T>(v[i..]) * beta2 + g * oneMinusBeta2 * g;
                mi.CopyTo(m[i..]);
                vi.CopyTo(v[i..]);
                (w - mi * stepSize / (Vector.SquareRoot(vi) / new Vector<T>(correction2Root) + new Vector<T>(epsilon))).CopyTo(value[i..]);
            }
        }
        for (; i < value.Length; i++)
        {
            var g = gradient[i] * mean + value[i] * decay;
            m[i] = m[i] * beta1 + g * oneMinusBeta1;
            v[i] = v[i] * beta2 + oneMinusBeta2 * g * g;
            value[i] -= m[i] * stepSize / (T.Sqrt(v[i]) / correction2Root + epsilon);
        }
        gradient.Clear();
    }

    /// <summary>Adam's scalars of step <paramref name="step"/> (from 1): η / (1 − β1ᵗ) and √(1 − β2ᵗ), rounded to T.</summary>
    internal (T StepSize, T Correction2Root) AdamScalars(long step) =>
        (T.CreateChecked(LearningRate / (1 - Power(Beta1, step))), T.CreateChecked(Math.Sqrt(1 - Power(Beta2, step))));

    /// <summary>βᵗ by binary powering: plain IEEE multiplications in a fixed order, so the same bits on every machine
    /// (Math.Pow is the C library's, chosen per CPU).</summary>
    internal static double Power(double beta, long step)
    {
        double result = 1, square = beta;
        for (long rest = step; rest > 0; rest >>= 1, square *= square)
        {
            if ((rest & 1) != 0)
                result *= square;
        }
        return result;
    }

    /// <summary>Restores the step count of a checkpoint (the moments are restored in place).</summary>
    public void RestoreSteps(long steps) => Steps = steps;

    public static OptimizerKind Parse(string text) => text.ToLowerInvariant() switch
    {
        "sgd" => OptimizerKind.Sgd,
        "adam" => OptimizerKind.Adam,
        _ => throw SettingNames.Error($"{{Optimizer}}: unknown '{text}'; expected sgd or adam."),
    };
}
