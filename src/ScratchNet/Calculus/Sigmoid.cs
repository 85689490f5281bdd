namespace ScratchNet.Calculus;

/// <summary>The logistic sigmoid σ(z) = 1/(1 + e⁻ᶻ) and its derivative (report 1.1).</summary>
public static class Sigmoid
{
    /// <summary>σ(z), never forming e^|z| (exact 0/1 limits for |z| ≥ ~750, no ∞/∞).</summary>
    public static double Value(double z) => z >= 0
        ? 1 / (1 + Math.Exp(-z))
        : Math.Exp(z) / (1 + Math.Exp(z));

    /// <summary>σ'(z) = σ(z)(1 − σ(z)), written as σ(z)·σ(−z) (1 − σ(z) = σ(−z) exactly) so the tail keeps its digits.</summary>
    public static double Derivative(double z) => Value(z) * Value(-z);

    /// <summary>softplus(t) = log(1 + eᵗ) = −log σ(−t), as max(t, 0) + log1p(e^−|t|): no overflow for any finite t.</summary>
    public static double Softplus(double t) => Math.Max(t, 0) + LogOnePlus(Math.Exp(-Math.Abs(t)));

    /// <summary>log(1 + x) accurate for tiny x (.NET has no Math.Log1P).</summary>
    public static double LogOnePlus(double x)
    {
        var u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1); // Goldberg's trick: exact for the rounded u
    }
}
