namespace ScratchNet.Tensors.LinearAlgebra;

/// <summary>
/// Eigenvalues of a real symmetric matrix by the cyclic Jacobi method: sweep over every off-diagonal pair (p, q) and
/// rotate it to zero until the off-diagonal mass is negligible. Accurate to a few ulps of ‖A‖; O(n³) per sweep, about
/// ten sweeps, so meant for the small matrices of the calculus checks (n up to ~100).
/// </summary>
public static class SymmetricEigen
{
    private const int MaxSweeps = 100;

    /// <summary>Writes the n eigenvalues of the symmetric n×n row-major <paramref name="a"/> in ascending order.</summary>
    // a: [n, n]   destination: [n]
    public static void Eigenvalues(ReadOnlySpan<double> a, int n, Span<double> destination)
    {
        ThrowHelper.IfNegative(n);
        ThrowHelper.IfLengthNot(a.Length, (long)n * n, "n×n", nameof(a));
        ThrowHelper.IfLengthNot(destination.Length, n, "n", nameof(destination));
        foreach (var value in a)
        {
            if (!double.IsFinite(value))
                throw new ArgumentException($"a must hold finite numbers, but holds {value}.", nameof(a));
        }
        ThrowHelper.IfNotSymmetric(a, n);

        var work = a.ToArray();
        var frobeniusSquared = 0.0;
        foreach (var value in work)
            frobeniusSquared += value * value;
        var converged = false;
        for (var sweep = 0; sweep < MaxSweeps && !converged; sweep++)
        {
            if (OffDiagonalSquared(work, n) <= 1e-30 * frobeniusSquared)
                converged = true;
            else
            {
                for (var p = 0; p < n - 1; p++)
                {
                    for (var q = p + 1; q < n; q++)
                        Rotate(work, n, p, q);
                }
            }
        }
        if (!converged)
            throw new InvalidOperationException($"Jacobi did not converge in {MaxSweeps} sweeps (n = {n}).");
        for (var i = 0; i < n; i++)
            destination[i] = work[(i * n) + i];
        destination.Sort();
    }

    /// <summary>The eigenvalues of the symmetric n×n <paramref name="a"/>, ascending.</summary>
    public static double[] Eigenvalues(ReadOnlySpan<double> a, int n)
    {
        var values = new double[n];
        Eigenvalues(a, n, values);
        return values;
    }

    /// <summary>λ_min(A): the matrix is positive semi-definite iff this is ≥ 0 (up to rounding, about 1e-15·‖A‖).</summary>
    public static double SmallestEigenvalue(ReadOnlySpan<double> a, int n) => n == 0 ? 0 : Eigenvalues(a, n)[0];

    /// <summary>A ← JᵀAJ with the rotation J in the (p, q) plane that zeroes A[p,q] (Golub and Van Loan, Alg. 8.5.1).</summary>
    private static void Rotate(double[] a, int n, int p, int q)
    {
        var apq = a[(p * n) + q];
        if (apq == 0)
            return;
        var tau = (a[(q * n) + q] - a[(p * n) + p]) / (2 * apq);
        var t = Math.Abs(tau) > 1e150
            ? 1 / (2 * tau)
            : (tau >= 0 ? 1 : -1) / (Math.Abs(tau) + Math.Sqrt(1 + (tau * tau)));
        var c = 1 / Math.Sqrt(1 + (t * t));
        var s = t * c;
        for (var k = 0; k < n; k++) // columns p and q: A·J
        {
            double akp = a[(k * n) + p], akq = a[(k * n) + q];
            a[(k * n) + p] = (c * akp) - (s * akq);
            a[(k * n) + q] = (s * akp) + (c * akq);
        }
        for (var k = 0; k < n; k++) // rows p and q: Jᵀ·(A·J)
        {
            double apk = a[(p * n) + k], aqk = a[(q * n) + k];
            a[(p * n) + k] = (c * apk) - (s * aqk);
            a[(q * n) + k] = (s * apk) + (c * aqk);
        }
        a[(p * n) + q] = 0;
        a[(q * n) + p] = 0;
    }

    private static double OffDiagonalSquared(double[] a, int n)
    {
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                if (i != j)
                    sum += a[(i * n) + j] * a[(i * n) + j];
            }
        }
        return sum;
    }
}
