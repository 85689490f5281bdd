namespace ScratchNet.Calculus;

/// <summary>softmax(z)ⱼ = e^zⱼ / Σₖ e^zₖ, log-sum-exp, and the softmax Jacobian (report 1.3). Vectors have length K ≥ 1.</summary>
public static class SoftmaxAndJacobian
{
    /// <summary>s = softmax(z), max-subtracted so that no exponent is positive (finite for any finite z).</summary>
    // z: [K]   s: [K]
    public static void Forward(ReadOnlySpan<double> z, Span<double> s)
    {
        ThrowHelper.IfEmptyOrLengthsDiffer(z, s.Length);
        var max = Max(z);
        var sum = 0.0;
        for (var k = 0; k < z.Length; k++)
            sum += s[k] = Math.Exp(z[k] - max);
        for (var k = 0; k < z.Length; k++)
            s[k] /= sum;
    }

    /// <summary>log Σₖ e^zₖ = m + log Σₖ e^(zₖ − m) with m = maxₖ zₖ.</summary>
    public static double LogSumExp(ReadOnlySpan<double> z)
    {
        ThrowHelper.IfEmptyOrLengthsDiffer(z, z.Length);
        var max = Max(z);
        var sum = 0.0;
        foreach (var value in z)
            sum += Math.Exp(value - max);
        return max + Math.Log(sum);
    }

    /// <summary>
    /// J = ∂s/∂z = diag(s) − s·sᵀ: Jⱼⱼ = sⱼ − sⱼ², Jⱼₖ = −sⱼsₖ (the report's matrix in 1.3). Symmetric, PSD, rows sum to 0.
    /// Takes s = softmax(z), not z.
    /// </summary>
    // s: [K]   jacobian: [K, K]
    public static void Jacobian(ReadOnlySpan<double> s, Span<double> jacobian)
    {
        ThrowHelper.IfEmptyOrLengthsDiffer(s, s.Length);
        ThrowHelper.IfLengthNot(jacobian.Length, s.Length * s.Length, "K×K", nameof(jacobian));
        var k = s.Length;
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
                jacobian[(i * k) + j] = (i == j ? s[i] : 0) - (s[i] * s[j]);
        }
    }

    private static double Max(ReadOnlySpan<double> z)
    {
        var max = double.NegativeInfinity;
        foreach (var value in z)
            max = Math.Max(max, value);
        return max;
    }
}
