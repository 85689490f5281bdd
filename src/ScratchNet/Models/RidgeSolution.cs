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
        if (lambda <= 0 || !double.IsFinite(lambda))
            throw new ArgumentOutOfRangeException(nameof(lambda), $"lambda {lambda} must be a finite number > 0.");
        ModelThrow.IfLength(features, targets.Length * featureCount, nameof(features));
        var d = featureCount + 1;
        var gram = new double[d * d];   // XᵀX + λI, lower triangle
        var moment = new double[d];     // Xᵀy
        var row = new double[d];
        for (var i = 0; i < targets.Length; i++)
        {
            features.Slice(i * featureCount, featureCount).CopyTo(row);
            row[featureCount] = 1;
            for (var a = 0; a < d; a++)
            {
                if (row[a] == 0)
                    continue;
                moment[a] += row[a] * targets[i];
                for (var b = 0; b <= a; b++)
                    gram[a * d + b] += row[a] * row[b];
            }
        }
        for (var a = 0; a < d; a++)
            gram[a * d + a] += lambda;
        CholeskyInPlace(gram, d);
        return SolveCholesky(gram, d, moment);
    }

    // A = L Lᵀ, L overwriting the lower triangle of A
    private static void CholeskyInPlace(double[] a, int d)
    {
        for (var j = 0; j < d; j++)
        {
            var diagonal = a[j * d + j];
            for (var k = 0; k < j; k++)
                diagonal -= a[j * d + k] * a[j * d + k];
            if (diagonal <= 0)
                throw new ArgumentException($"XᵀX + λI is not positive definite at pivot {j}; use a larger --lambda.");
            var root = Math.Sqrt(diagonal);
            a[j * d + j] = root;
            for (var i = j + 1; i < d; i++)
            {
                var sum = a[i * d + j];
                for (var k = 0; k < j; k++)
                    sum -= a[i * d + k] * a[j * d + k];
                a[i * d + j] = sum / root;
            }
        }
    }

    // L Lᵀ w = b: forward then back substitution
    private static double[] SolveCholesky(double[] l, int d, double[] b)
    {
        var w = (double[])b.Clone();
        for (var i = 0; i < d; i++)
        {
            for (var k = 0; k < i; k++)
                w[i] -= l[i * d + k] * w[k];
            w[i] /= l[i * d + i];
        }
        for (var i = d - 1; i >= 0; i--)
        {
            for (var k = i + 1; k < d; k++)
                w[i] -= l[k * d + i] * w[k];
            w[i] /= l[i * d + i];
        }
        return w;
    }
}
