namespace ScratchNet.Calculus;

/// <summary>
/// A one-hidden-layer network z = V·tanh(W·x + c) + b (D inputs, H hidden units, K outputs), the smallest model in
/// which z is not affine in its parameters. It answers the second part of report 1.5: the loss stops being convex.
/// θ packs W (H×D), c (H), V (K×H), b (K), all row-major.
/// </summary>
public static class OneHiddenLayerNetwork
{
    public static int ParameterCount(int d, int h, int k) => (h * d) + h + (k * h) + k;

    // theta: [P]   x: [D]   z: [K]
    public static void Forward(ReadOnlySpan<double> theta, ReadOnlySpan<double> x, int hidden, Span<double> z)
    {
        int d = x.Length, k = z.Length;
        ThrowHelper.IfLengthNot(theta.Length, ParameterCount(d, hidden, k), "H·D + H + K·H + K", nameof(theta));
        var w = theta[..(hidden * d)];
        var c = theta.Slice(hidden * d, hidden);
        var v = theta.Slice((hidden * d) + hidden, k * hidden);
        var b = theta[^k..];
        b.CopyTo(z);
        for (var j = 0; j < hidden; j++)
        {
            var preActivation = c[j];
            for (var i = 0; i < d; i++)
                preActivation += w[(j * d) + i] * x[i];
            var activation = Math.Tanh(preActivation);
            for (var o = 0; o < k; o++)
                z[o] += v[(o * hidden) + j] * activation;
        }
    }

    /// <summary>
    /// θ̃ = (−W, −c, −V, b). Since tanh is odd, V·tanh(Wx + c) = (−V)·tanh(−Wx − c): θ and θ̃ compute the same z for
    /// every x, hence have the same loss. Their midpoint is (0, 0, 0, b), whose output is just b.
    /// </summary>
    public static double[] SignFlipped(ReadOnlySpan<double> theta, int k)
    {
        var flipped = theta.ToArray();
        for (var i = 0; i < flipped.Length - k; i++)
            flipped[i] = -flipped[i];
        return flipped;
    }

    /// <summary>
    /// A deterministic counter-example to convexity in θ for the multinomial logistic loss of (x, y): every hidden unit
    /// sees W·x + c = ‖x‖ + 1 ≥ 1 and votes for class y (V = e_y·1ᵀ), so z(θ) = b + H·tanh(‖x‖ + 1)·e_y has a smaller
    /// loss than z = b. Then f(θ) = f(θ̃) &lt; f(midpoint) = L(b; y): the midpoint lies above the chord.
    /// </summary>
    public static ConvexityCounterExample CounterExample(ReadOnlySpan<double> x, int y, ReadOnlySpan<double> b, int hidden)
    {
        int d = x.Length, k = b.Length;
        ThrowHelper.IfClassOutOfRange(y, k);
        var theta = new double[ParameterCount(d, hidden, k)];
        var norm = Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(x));
        for (var j = 0; j < hidden; j++)
        {
            for (var i = 0; i < d; i++)
                theta[(j * d) + i] = norm > 0 ? x[i] / norm : 0; // W·x = ‖x‖
            theta[(hidden * d) + j] = 1;                          // c = 1
            theta[(hidden * d) + hidden + (y * hidden) + j] = 1;  // V = e_y·1ᵀ
        }
        b.CopyTo(theta.AsSpan(theta.Length - k));
        var flipped = SignFlipped(theta, k);
        var midpoint = theta.Zip(flipped, (first, second) => (first + second) / 2).ToArray();
        var input = x.ToArray(); // a span cannot be captured by the local function
        double Loss(double[] parameters)
        {
            var z = new double[k];
            Forward(parameters, input, hidden, z);
            return MultinomialLogisticLoss.Value(z, y);
        }
        return new ConvexityCounterExample(theta, flipped, Loss(theta), Loss(flipped), Loss(midpoint));
    }
}

/// <summary>Two parameter vectors and the loss at each and at their midpoint; convexity demands Gap ≤ 0.</summary>
public sealed record ConvexityCounterExample(double[] Theta, double[] FlippedTheta, double Loss, double FlippedLoss, double MidpointLoss)
{
    /// <summary>f(midpoint) − ½(f(θ) + f(θ̃)); a positive gap violates the midpoint inequality, so f is not convex.</summary>
    public double Gap => MidpointLoss - (0.5 * (Loss + FlippedLoss));
}
