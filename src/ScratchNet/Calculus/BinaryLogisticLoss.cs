namespace ScratchNet.Calculus;

/// <summary>
/// The binary logistic loss for a label y ∈ {−1, +1} (report 1.2): L(z; y) = −log σ(y·z) = log(1 + e^(−y·z)).
/// For y = +1 this is the report's eq. (1), L = −log σ(z).
/// </summary>
public static class BinaryLogisticLoss
{
    public static double Value(double z, int y) => Sigmoid.Softplus(-Label(y) * z);

    /// <summary>dL/dz = −y·σ(−y·z); for y = +1 this is σ(z) − 1, the report's eq. (2).</summary>
    public static double Derivative(double z, int y) => -Label(y) * Sigmoid.Value(-Label(y) * z);

    /// <summary>d²L/dz² = y²·σ(z)(1 − σ(z)) = σ'(z) ≥ 0 for both labels: eq. (3), hence L is convex in z.</summary>
    public static double SecondDerivative(double z, int y)
    {
        Label(y);
        return Sigmoid.Derivative(z);
    }

    private static int Label(int y) => y is 1 or -1
        ? y
        : throw new ArgumentOutOfRangeException(nameof(y), y, "The binary logistic loss takes a label y of -1 or +1.");
}
