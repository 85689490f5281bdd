namespace ScratchNet.Calculus;

/// <summary>Report 1.1–1.4: the derivatives of σ, of the logistic losses and of softmax, in z.</summary>
public static partial class ReportClaims
{
    private static ClaimResult Sigmoid11(int points, Random random)
    {
        var worst = 0.0;
        for (var i = 0; i < points; i++)
        {
            var z = RandomPoints.Logit(random);
            worst = Worse(worst, GradientCheck.Derivative(Sigmoid.Value, z, Sigmoid.Derivative(z)).MaxRelativeError);
        }
        return new("1.1", "1.1", "", "σ'(z) = σ(z)(1 − σ(z))",
            [MaxError("σ' against central differences of σ, z up to ±1e4", points, worst)]);
    }

    private static ClaimResult BinaryLogistic12(int points, Random random)
    {
        double worstFirst = 0, worstSecond = 0, smallestSecond = double.PositiveInfinity;
        for (var i = 0; i < points; i++)
        {
            var z = RandomPoints.Logit(random);
            var y = random.Next(2) == 0 ? -1 : 1;
            worstFirst = Worse(worstFirst, GradientCheck.Derivative(t => BinaryLogisticLoss.Value(t, y), z,
                BinaryLogisticLoss.Derivative(z, y)).MaxRelativeError);
            worstSecond = Worse(worstSecond, GradientCheck.Derivative(t => BinaryLogisticLoss.Derivative(t, y), z,
                BinaryLogisticLoss.SecondDerivative(z, y)).MaxRelativeError);
            smallestSecond = Math.Min(smallestSecond, BinaryLogisticLoss.SecondDerivative(z, y));
        }
        var label = random.Next(2) == 0 ? -1 : 1;
        var midpoint = ConvexityCheck.Midpoint(z => BinaryLogisticLoss.Value(z[0], label), r => [RandomPoints.Logit(r)], points, random);
        return new("1.2", "1.2", "(1)–(3)", "L = −log σ(yz): L' = σ(z) − 1 (y = +1), L'' = σ(z)(1 − σ(z)) ≥ 0, so L is convex",
        [
            MaxError("L' against central differences of L, y = ±1", points, worstFirst),
            MaxError("L'' against central differences of L'", points, worstSecond),
            new("L'' is never negative", points, "min L''", smallestSecond, "≥ 0", smallestSecond >= 0),
            ConvexMidpoint("midpoint inequality on random segments", midpoint),
        ]);
    }

    private static ClaimResult SoftmaxJacobian13(int points, Random random)
    {
        var worst = 0.0;
        for (var i = 0; i < points; i++)
        {
            var z = RandomPoints.Logits(random, random.Next(2, 11));
            var s = new double[z.Length];
            SoftmaxAndJacobian.Forward(z, s);
            var jacobian = new double[z.Length * z.Length];
            SoftmaxAndJacobian.Jacobian(s, jacobian);
            worst = Worse(worst, GradientCheck.Jacobian(SoftmaxOf, z, jacobian).MaxRelativeError);
        }
        return new("1.3", "1.3", "", "∂softmax(z)/∂z = diag(s) − s sᵀ: sⱼ − sⱼ² on the diagonal, −sⱼsₖ off it",
            [MaxError("Jacobian against central differences, K = 2..10", points, worst)]);
    }

    private static ClaimResult Multinomial14(int points, Random random)
    {
        double worstGradient = 0, worstHessian = 0, smallest = double.PositiveInfinity;
        for (var i = 0; i < points; i++)
        {
            var z = RandomPoints.Logits(random, random.Next(2, 11));
            var y = random.Next(z.Length);
            var gradient = new double[z.Length];
            MultinomialLogisticLoss.Gradient(z, y, gradient);
            var hessian = new double[z.Length * z.Length];
            MultinomialLogisticLoss.Hessian(z, hessian);
            worstGradient = Worse(worstGradient, GradientCheck.Gradient(v => MultinomialLogisticLoss.Value(v, y), z, gradient).MaxRelativeError);
            worstHessian = Worse(worstHessian, GradientCheck.Jacobian(v => MultinomialGradient(v, y), z, hessian).MaxRelativeError);
            smallest = Math.Min(smallest, ScaledSmallestEigenvalue(hessian, z.Length));
        }
        var k = random.Next(2, 11);
        var label = random.Next(k);
        var midpoint = ConvexityCheck.Midpoint(v => MultinomialLogisticLoss.Value(v, label), r => RandomPoints.Logits(r, k), points, random);
        return new("1.4", "1.4", "(4)–(9)", "L = −log softmax(z)_y: ∇L = s − e_y, ∇²L = diag(s) − s sᵀ ⪰ 0, so L is convex in z",
        [
            MaxError("gradient s − e_y against central differences", points, worstGradient),
            MaxError("Hessian against central differences of the gradient", points, worstHessian),
            MinEigenvalue("Hessian is positive semi-definite (Jacobi)", points, smallest),
            ConvexMidpoint($"midpoint inequality on random segments, K = {k}", midpoint),
        ]);
    }

    private static double[] SoftmaxOf(double[] z)
    {
        var s = new double[z.Length];
        SoftmaxAndJacobian.Forward(z, s);
        return s;
    }

    private static double[] MultinomialGradient(double[] z, int y)
    {
        var gradient = new double[z.Length];
        MultinomialLogisticLoss.Gradient(z, y, gradient);
        return gradient;
    }
}
