using System.Runtime.CompilerServices;
using ScratchNet.Tensors.Internals;

namespace ScratchNet.Tensors.LinearAlgebra;

/// <summary>
/// Cholesky factorisation A = L·Lᵀ of a symmetric positive-definite matrix, and the solve of A·x = b with it.
/// Matrices are n×n, row-major; only the lower triangle of A is read. Inner products run in the canonical order
/// (docs/kernels.md, Determinism), so the factor has the same bits on every machine.
/// </summary>
public static class Cholesky
{
    /// <summary>Writes the lower-triangular L with A = L·Lᵀ into <paramref name="lower"/> (zeros above the diagonal).</summary>
    /// <exception cref="NotPositiveDefiniteException">A pivot is not positive (names the pivot and its value).</exception>
    // a: [n, n]   lower: [n, n]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called once per fit: skip the slow tier-0 loops
    public static void Factor(ReadOnlySpan<double> a, int n, Span<double> lower)
    {
        ThrowHelper.IfLessThanOne(n);
        ThrowHelper.IfLengthNot(a.Length, (long)n * n, "n×n", nameof(a));
        ThrowHelper.IfLengthNot(lower.Length, (long)n * n, "n×n", nameof(lower));
        lower.Clear();
        // Cholesky–Banachiewicz, row by row: every inner product runs over two contiguous rows of L.
        for (var i = 0; i < n; i++)
        {
            var rowI = lower.Slice(i * n, n);
            for (var j = 0; j < i; j++)
            {
                var rowJ = lower.Slice(j * n, j);
                rowI[j] = (a[(i * n) + j] - CanonicalReduction.Dot<double>(rowI[..j], rowJ)) / lower[(j * n) + j];
            }
            var pivot = a[(i * n) + i] - CanonicalReduction.Dot<double>(rowI[..i], rowI[..i]);
            if (!(pivot > 0) || !double.IsFinite(pivot))
                throw new NotPositiveDefiniteException(i, pivot, n);
            rowI[i] = Math.Sqrt(pivot);
        }
    }

    /// <summary>Solves L·Lᵀ·x = b given the factor from <see cref="Factor"/>. <paramref name="x"/> may be <paramref name="b"/> itself.</summary>
    // lower: [n, n]   b: [n]   x: [n]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called once per fit: skip the slow tier-0 loops
    public static void Solve(ReadOnlySpan<double> lower, int n, ReadOnlySpan<double> b, Span<double> x)
    {
        ThrowHelper.IfLessThanOne(n);
        ThrowHelper.IfLengthNot(lower.Length, (long)n * n, "n×n", nameof(lower));
        ThrowHelper.IfLengthNot(b.Length, n, "n", nameof(b));
        ThrowHelper.IfLengthNot(x.Length, n, "n", nameof(x));
        b.CopyTo(x);
        // Forward substitution L·z = b (z overwrites x).
        for (var i = 0; i < n; i++)
            x[i] = (x[i] - CanonicalReduction.Dot<double>(lower.Slice(i * n, i), x[..i])) / lower[(i * n) + i];
        // Back substitution Lᵀ·x = z: column i of L is row i of Lᵀ.
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = x[i];
            for (var j = i + 1; j < n; j++)
                sum -= lower[(j * n) + i] * x[j];
            x[i] = sum / lower[(i * n) + i];
        }
    }

    /// <summary>Factor and solve in one call: returns x with A·x = b.</summary>
    public static double[] Solve(ReadOnlySpan<double> a, int n, ReadOnlySpan<double> b)
    {
        var lower = new double[(long)n * n];
        Factor(a, n, lower);
        var x = new double[n];
        Solve(lower, n, b, x);
        return x;
    }
}
