using ScratchNet.Tensors.LinearAlgebra;

namespace ScratchNet.Models;

/// <summary>
/// The analytic solution linear regression is compared with: ŵ = (XᵀX + λI)⁻¹ Xᵀy over [X, 1] (the bias column
/// last, as <see cref="LinearRegression{T}"/> has it), solved by Cholesky in float64. λ &gt; 0 is needed because the
/// Ames train matrix is rank-deficient (rank 245 of 349).
/// </summary>
public static class RidgeSolution
{
    // X [n, d] row-major, y [n]  →  ŵ [d + 1]
    public static double[] Solve(ReadOnlySpan<double> features, ReadOnlySpan<double> targets, int featureCount, double lambda)
    {
        ThrowHelper.IfLengthNot(features.Length, targets.Length * featureCount, nameof(features));
        var d = featureCount + 1;
        var withBias = new double[targets.Length * d];
        for (var i = 0; i < targets.Length; i++)
        {
            features.Slice(i * featureCount, featureCount).CopyTo(withBias.AsSpan(i * d));
            withBias[i * d + featureCount] = 1;
        }
        return RidgeRegression.Solve(withBias, targets, targets.Length, d, lambda);
    }
}
