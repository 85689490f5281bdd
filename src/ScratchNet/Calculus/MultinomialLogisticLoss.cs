namespace ScratchNet.Calculus;

/// <summary>
/// The multinomial logistic (cross-entropy) loss of a class y ∈ {0..K−1} (report 1.4):
/// L(z; y) = −log softmax(z)_y = log Σₖ e^zₖ − z_y.
/// </summary>
public static class MultinomialLogisticLoss
{
    public static double Value(ReadOnlySpan<double> z, int y)
    {
        ThrowHelper.IfClassOutOfRange(y, z.Length);
        return SoftmaxAndJacobian.LogSumExp(z) - z[y];
    }

    /// <summary>
    /// ∇_z L = s − e_y (s = softmax(z)): ∂L/∂z_y = s_y − 1 (eq. 5), ∂L/∂zₖ = sₖ for k ≠ y (eq. 6).
    /// (The report's eq. (7) prints these entries as a K×K matrix; the gradient is this one vector.)
    /// </summary>
    // z: [K]   gradient: [K]
    public static void Gradient(ReadOnlySpan<double> z, int y, Span<double> gradient)
    {
        ThrowHelper.IfClassOutOfRange(y, z.Length);
        SoftmaxAndJacobian.Forward(z, gradient);
        gradient[y] -= 1;
    }

    /// <summary>∇²_z L = diag(s) − s·sᵀ (eqs. 8–9): the softmax Jacobian, independent of y; PSD since xᵀHx = Σ over pairs i &lt; j of sᵢsⱼ(xᵢ − xⱼ)² ≥ 0.</summary>
    // z: [K]   hessian: [K, K]
    public static void Hessian(ReadOnlySpan<double> z, Span<double> hessian)
    {
        Span<double> s = z.Length <= 256 ? stackalloc double[z.Length] : new double[z.Length];
        SoftmaxAndJacobian.Forward(z, s);
        SoftmaxAndJacobian.Jacobian(s, hessian);
    }
}
