namespace ScratchNet.Calculus;

/// <summary>The squared-error loss L(z; y) = ½‖z − y‖² = ½(z − y)ᵀ(z − y) (report 2.1).</summary>
public static class SquaredLoss
{
    public static double Value(ReadOnlySpan<double> z, ReadOnlySpan<double> y)
    {
        ThrowHelper.IfEmptyOrLengthsDiffer(z, y.Length);
        var sum = 0.0;
        for (var k = 0; k < z.Length; k++)
            sum += (z[k] - y[k]) * (z[k] - y[k]);
        return 0.5 * sum;
    }

    /// <summary>∇_z L = z − y.</summary>
    // z, y, gradient: [K]
    public static void Gradient(ReadOnlySpan<double> z, ReadOnlySpan<double> y, Span<double> gradient)
    {
        ThrowHelper.IfEmptyOrLengthsDiffer(z, y.Length);
        ThrowHelper.IfLengthNot(gradient.Length, z.Length, "K", nameof(gradient));
        for (var k = 0; k < z.Length; k++)
            gradient[k] = z[k] - y[k];
    }

    /// <summary>∇²_z L = I (K×K): positive definite, so L is convex in z, and in (W, b) through an affine z.</summary>
    public static void Hessian(int k, Span<double> hessian)
    {
        ThrowHelper.IfLengthNot(hessian.Length, k * k, "K×K", nameof(hessian));
        hessian.Clear();
        for (var i = 0; i < k; i++)
            hessian[(i * k) + i] = 1;
    }
}
