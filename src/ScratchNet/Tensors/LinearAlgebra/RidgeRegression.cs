using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace ScratchNet.Tensors.LinearAlgebra;

/// <summary>
/// The closed-form ridge (L2-regularised least squares) solution ŵ = (XᵀX + λI)⁻¹Xᵀy, by Cholesky.
/// λ applies to every column, including a bias column of ones if X carries one.
/// </summary>
public static class RidgeRegression
{
    /// <summary>Returns ŵ (length d) for X (n×d, row-major) and targets y (length n).</summary>
    /// <exception cref="NotPositiveDefiniteException">XᵀX + λI is singular to working precision: use a larger λ.</exception>
    // x: [n, d]   y: [n]   returns: [d]
    public static double[] Solve(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int n, int d, double lambda)
    {
        ThrowHelper.IfLessThanOne(n);
        ThrowHelper.IfLessThanOne(d);
        ThrowHelper.IfLengthNot(x.Length, (long)n * d, "n×d", nameof(x));
        ThrowHelper.IfLengthNot(y.Length, n, "n", nameof(y));
        ThrowHelper.IfNotFiniteOrNegative(lambda);

        var gram = new double[(long)d * d];
        GramPlusRidge(x, n, d, lambda, gram);
        var xty = new double[d];
        for (var i = 0; i < n; i++)
            TensorPrimitives.MultiplyAdd(x.Slice(i * d, d), y[i], xty, xty); // Xᵀy += yᵢ·xᵢ
        return Cholesky.Solve(gram, d, xty);
    }

    /// <summary>Writes XᵀX + λI (d×d, both triangles) into <paramref name="destination"/>.</summary>
    // x: [n, d]   destination: [d, d]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called once per fit: skip the slow tier-0 loops
    private static void GramPlusRidge(ReadOnlySpan<double> x, int n, int d, double lambda, Span<double> destination)
    {
        ThrowHelper.IfLengthNot(x.Length, (long)n * d, "n×d", nameof(x));
        ThrowHelper.IfLengthNot(destination.Length, (long)d * d, "d×d", nameof(destination));
        destination.Clear();
        // Sum of rank-1 updates xᵢxᵢᵀ, upper triangle only: row j gets xᵢⱼ·xᵢ[j..].
        for (var i = 0; i < n; i++)
        {
            var row = x.Slice(i * d, d);
            for (var j = 0; j < d; j++)
            {
                if (row[j] == 0)
                    continue; // one-hot columns (most of Ames' 349) are mostly zero
                var target = destination.Slice((j * d) + j, d - j);
                TensorPrimitives.MultiplyAdd(row[j..], row[j], target, target);
            }
        }
        for (var j = 0; j < d; j++)
        {
            destination[(j * d) + j] += lambda;
            for (var k = j + 1; k < d; k++)
                destination[(k * d) + j] = destination[(j * d) + k];
        }
    }
}
