namespace ScratchNet.Calculus;

/// <summary>
/// The affine model of report 1.5 and 2.1, z = W·φ + b, seen as a function of its parameters θ = (W, b).
/// Shapes: K outputs, D features; θ packs W (K×D, row-major) then b (K), so θ has K·D + K entries.
/// Because z is affine in θ, the Hessian of any loss L(z(θ)) is Aᵀ·∇²_z L·A with A = ∂z/∂θ: PSD whenever ∇²_z L is.
/// </summary>
public static class AffineModel
{
    public static int ParameterCount(int k, int d) => (k * d) + k;

    /// <summary>z = W·φ + b.</summary>
    // theta: [K·D + K]   phi: [D]   z: [K]
    public static void Forward(ReadOnlySpan<double> theta, ReadOnlySpan<double> phi, int k, Span<double> z)
    {
        var d = phi.Length;
        CheckShapes(theta, d, k, z.Length);
        for (var i = 0; i < k; i++)
        {
            var sum = theta[(k * d) + i];
            for (var j = 0; j < d; j++)
                sum += theta[(i * d) + j] * phi[j];
            z[i] = sum;
        }
    }

    /// <summary>Backpropagates dz = ∂L/∂z into dθ: dW += dz·φᵀ, db += dz (accumulates).</summary>
    // phi: [D]   dz: [K]   dTheta: [K·D + K]
    public static void Backward(ReadOnlySpan<double> phi, ReadOnlySpan<double> dz, Span<double> dTheta)
    {
        int d = phi.Length, k = dz.Length;
        CheckShapes(dTheta, d, k, k);
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < d; j++)
                dTheta[(i * d) + j] += dz[i] * phi[j];
            dTheta[(k * d) + i] += dz[i];
        }
    }

    /// <summary>
    /// ∇²_θ L = Aᵀ·H_z·A for H_z = ∇²_z L (K×K). With ψ = (φ, 1), the entry for parameters (i, a) and (j, c),
    /// i.e. rows i, j of z and feature slots a, c, is H_z[i,j]·ψ_a·ψ_c.
    /// </summary>
    // phi: [D]   hessianZ: [K, K]   hessianTheta: [P, P] with P = K·D + K
    public static void Hessian(ReadOnlySpan<double> phi, ReadOnlySpan<double> hessianZ, int k, Span<double> hessianTheta)
    {
        var d = phi.Length;
        var p = ParameterCount(k, d);
        ThrowHelper.IfLengthNot(hessianZ.Length, k * k, "K×K", nameof(hessianZ));
        ThrowHelper.IfLengthNot(hessianTheta.Length, p * p, "P×P (P = K·D + K)", nameof(hessianTheta));
        for (var r = 0; r < p; r++)
        {
            var (rowR, featureR) = Locate(r, k, d, phi);
            for (var c = 0; c < p; c++)
            {
                var (rowC, featureC) = Locate(c, k, d, phi);
                hessianTheta[(r * p) + c] = hessianZ[(rowR * k) + rowC] * featureR * featureC;
            }
        }
    }

    /// <summary>Which output z_i parameter θ_index feeds, and the factor ψ it multiplies (φ_j for W[i,j], 1 for b_i).</summary>
    private static (int Row, double Feature) Locate(int index, int k, int d, ReadOnlySpan<double> phi) =>
        index < k * d ? (index / d, phi[index % d]) : (index - (k * d), 1.0);

    private static void CheckShapes(ReadOnlySpan<double> theta, int d, int k, int zLength)
    {
        if (k <= 0)
            throw new ArgumentOutOfRangeException(nameof(k), k, "The number of outputs K must be at least 1.");
        ThrowHelper.IfLengthNot(theta.Length, ParameterCount(k, d), "K·D + K", nameof(theta));
        ThrowHelper.IfLengthNot(zLength, k, "K", "z");
    }
}
