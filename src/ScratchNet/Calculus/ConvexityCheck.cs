using ScratchNet.Tensors.LinearAlgebra;

namespace ScratchNet.Calculus;

/// <summary>
/// Two numerical witnesses of convexity: the Hessian is PSD (smallest eigenvalue ≥ 0), and along random lines the
/// midpoint never lies above the chord, f((a + b)/2) ≤ (f(a) + f(b))/2.
/// </summary>
public static class ConvexityCheck
{
    /// <summary>Rounding allowance of the midpoint test, relative to max(1, |f|) at the three points.</summary>
    public const double DefaultMidpointTolerance = 1e-12;

    /// <summary>λ_min of the symmetric n×n matrix.</summary>
    public static double SmallestEigenvalue(ReadOnlySpan<double> symmetric, int n) => SymmetricEigen.SmallestEigenvalue(symmetric, n);

    /// <summary>PSD up to rounding: λ_min ≥ −tolerance·max(1, maxᵢⱼ |Aᵢⱼ|).</summary>
    public static bool IsPositiveSemidefinite(ReadOnlySpan<double> symmetric, int n, double tolerance = 1e-12)
    {
        var scale = 1.0;
        foreach (var value in symmetric)
            scale = Math.Max(scale, Math.Abs(value));
        return SmallestEigenvalue(symmetric, n) >= -tolerance * scale;
    }

    /// <summary>f((a + b)/2) − (f(a) + f(b))/2, divided by max(1, |f(a)|, |f(b)|, |f(midpoint)|). Convexity demands ≤ 0.</summary>
    public static double MidpointGap(Func<double[], double> f, double[] a, double[] b)
    {
        ThrowHelper.IfLengthNot(b.Length, a.Length, "a.Length", nameof(b));
        var midpoint = new double[a.Length];
        for (var i = 0; i < a.Length; i++)
            midpoint[i] = 0.5 * (a[i] + b[i]);
        double fa = f(a), fb = f(b), fm = f(midpoint);
        var scale = Math.Max(1, Math.Max(Math.Max(Math.Abs(fa), Math.Abs(fb)), Math.Abs(fm)));
        return (fm - (0.5 * (fa + fb))) / scale;
    }

    /// <summary>
    /// Draws <paramref name="lines"/> segments [a, b] with both ends from <paramref name="samplePoint"/> and tests the
    /// midpoint inequality on each. A line violates it when its gap exceeds <paramref name="tolerance"/>.
    /// </summary>
    public static MidpointCheck Midpoint(Func<double[], double> f, Func<Random, double[]> samplePoint, int lines, Random random,
        double tolerance = DefaultMidpointTolerance)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lines);
        var result = new MidpointCheck(lines, 0, double.NegativeInfinity, [], []);
        for (var line = 0; line < lines; line++)
        {
            double[] a = samplePoint(random), b = samplePoint(random);
            var gap = MidpointGap(f, a, b);
            if (double.IsNaN(gap))
                gap = double.PositiveInfinity;
            var violations = result.Violations + (gap > tolerance ? 1 : 0);
            result = gap > result.WorstGap
                ? new MidpointCheck(lines, violations, gap, a, b)
                : result with { Violations = violations };
        }
        return result;
    }
}

/// <summary>The outcome of <see cref="ConvexityCheck.Midpoint"/>: how many lines violated the inequality, and the worst one.</summary>
public sealed record MidpointCheck(int Lines, int Violations, double WorstGap, double[] WorstA, double[] WorstB)
{
    public bool ConsistentWithConvexity => Violations == 0;
}
