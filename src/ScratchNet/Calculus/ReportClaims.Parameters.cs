namespace ScratchNet.Calculus;

/// <summary>Report 1.5 and 2.1: losses as functions of the parameters (W, b), convex exactly when z is affine in them.</summary>
public static partial class ReportClaims
{
    private static ClaimResult AffineConvex15(int points, Random random)
    {
        double worstGradient = 0, worstHessian = 0, smallest = double.PositiveInfinity;
        for (var i = 0; i < points; i++)
        {
            var (phi, y, k) = (RandomPoints.Normals(random, random.Next(1, 5), scale: 3), random.Next(0, 4), 4);
            var theta = RandomPoints.Normals(random, AffineModel.ParameterCount(k, phi.Length));
            var p = theta.Length;
            var gradient = AffineMultinomialGradient(theta, phi, y, k);
            var z = new double[k];
            AffineModel.Forward(theta, phi, k, z);
            var hessianZ = new double[k * k];
            MultinomialLogisticLoss.Hessian(z, hessianZ);
            var hessian = new double[p * p];
            AffineModel.Hessian(phi, hessianZ, k, hessian);
            worstGradient = Worse(worstGradient, GradientCheck.Gradient(t => AffineMultinomialLoss(t, phi, y, k), theta, gradient).MaxRelativeError);
            worstHessian = Worse(worstHessian, GradientCheck.Jacobian(t => AffineMultinomialGradient(t, phi, y, k), theta, hessian).MaxRelativeError);
            smallest = Math.Min(smallest, ScaledSmallestEigenvalue(hessian, p));
        }
        var (fixedPhi, fixedY) = (RandomPoints.Normals(random, 3, scale: 3), random.Next(4));
        var midpoint = ConvexityCheck.Midpoint(t => AffineMultinomialLoss(t, fixedPhi, fixedY, 4),
            r => RandomPoints.Normals(r, AffineModel.ParameterCount(4, fixedPhi.Length), scale: 5), points, random);
        return new("1.5-affine", "1.5", "(10)", "L(W, b) = −log softmax(Wφ + b)_y is convex in (W, b): ∇²L = Aᵀ(diag(s) − s sᵀ)A ⪰ 0",
        [
            MaxError("∇_W L = (s − e_y)φᵀ, ∇_b L = s − e_y against central differences", points, worstGradient),
            MaxError("Hessian Aᵀ H_z A against central differences of the gradient", points, worstHessian),
            MinEigenvalue("Hessian in (W, b) is positive semi-definite, K = 4, D = 1..4", points, smallest),
            ConvexMidpoint("midpoint inequality on random segments in (W, b)", midpoint),
        ]);
    }

    private static ClaimResult NonLinearNotConvex15(int points, Random random)
    {
        const int Classes = 3, Hidden = 2, Inputs = 2;
        var smallestGap = double.PositiveInfinity;
        for (var i = 0; i < points; i++)
        {
            var counterExample = OneHiddenLayerNetwork.CounterExample(
                RandomPoints.Normals(random, Inputs), random.Next(Classes), RandomPoints.Normals(random, Classes), Hidden);
            smallestGap = Math.Min(smallestGap, counterExample.Gap);
        }
        var (x, y) = (RandomPoints.Normals(random, Inputs), random.Next(Classes));
        // About 1 random segment in 4 violates the inequality; at least 100 keep "none found" out of reach (0.75¹⁰⁰).
        var search = ConvexityCheck.Midpoint(t => NetworkLoss(t, x, y, Hidden, Classes),
            r => RandomPoints.Normals(r, OneHiddenLayerNetwork.ParameterCount(Inputs, Hidden, Classes), scale: 3), Math.Max(points, 100), random);
        return new("1.5-nonlinear", "1.5", "(10), non-linear z", "once z = V tanh(Wx + c) + b is non-linear in the parameters, L is no longer convex",
        [
            new("θ ↔ θ̃ = (−W, −c, −V, b) (same z): f(midpoint) > mean of the ends", points,
                "min midpoint excess", smallestGap, "> 0 (violation)", smallestGap > 0),
            new("random segments in θ that violate the midpoint inequality", search.Lines,
                "violating segments", search.Violations, "≥ 1", search.Violations >= 1),
        ]);
    }

    private static ClaimResult SquaredLossConvex21(int points, Random random)
    {
        double worstZ = 0, worstTheta = 0, worstHessian = 0, smallest = double.PositiveInfinity;
        for (var i = 0; i < points; i++)
        {
            var (phi, target, k) = (RandomPoints.Normals(random, random.Next(1, 5), scale: 3), RandomPoints.Normals(random, 3), 3);
            // z near y: far away, ½‖z − y‖² ~ 1e8 and its own rounding (ε·|L|/h) would swamp the differences.
            var z = target.Select(value => value + (3 * RandomPoints.Normal(random))).ToArray();
            var gradientZ = new double[k];
            SquaredLoss.Gradient(z, target, gradientZ);
            worstZ = Worse(worstZ, GradientCheck.Gradient(v => SquaredLoss.Value(v, target), z, gradientZ).MaxRelativeError);

            var theta = RandomPoints.Normals(random, AffineModel.ParameterCount(k, phi.Length));
            var p = theta.Length;
            var identity = new double[k * k];
            SquaredLoss.Hessian(k, identity);
            var hessian = new double[p * p];
            AffineModel.Hessian(phi, identity, k, hessian);
            worstTheta = Worse(worstTheta, GradientCheck.Gradient(t => AffineSquaredLoss(t, phi, target), theta,
                AffineSquaredGradient(theta, phi, target)).MaxRelativeError);
            worstHessian = Worse(worstHessian, GradientCheck.Jacobian(t => AffineSquaredGradient(t, phi, target), theta, hessian).MaxRelativeError);
            smallest = Math.Min(smallest, ScaledSmallestEigenvalue(hessian, p));
        }
        var (fixedPhi, fixedTarget) = (RandomPoints.Normals(random, 3, scale: 3), RandomPoints.Normals(random, 3));
        var midpoint = ConvexityCheck.Midpoint(t => AffineSquaredLoss(t, fixedPhi, fixedTarget),
            r => RandomPoints.Normals(r, AffineModel.ParameterCount(3, fixedPhi.Length), scale: 5), points, random);
        return new("2.1", "2.1", "", "L = ½‖z − y‖² with z = Wφ + b is convex in (W, b): ∇²L = AᵀA ⪰ 0",
        [
            MaxError("∇_z L = z − y against central differences", points, worstZ),
            MaxError("∇_(W,b) L = ((z − y)φᵀ, z − y) against central differences", points, worstTheta),
            MaxError("Hessian AᵀA against central differences of the gradient", points, worstHessian),
            MinEigenvalue("Hessian in (W, b) is positive semi-definite, K = 3, D = 1..4", points, smallest),
            ConvexMidpoint("midpoint inequality on random segments in (W, b)", midpoint),
        ]);
    }

    private static double[] AffineOutput(double[] theta, double[] phi, int k)
    {
        var z = new double[k];
        AffineModel.Forward(theta, phi, k, z);
        return z;
    }

    private static double AffineMultinomialLoss(double[] theta, double[] phi, int y, int k) =>
        MultinomialLogisticLoss.Value(AffineOutput(theta, phi, k), y);

    private static double[] AffineMultinomialGradient(double[] theta, double[] phi, int y, int k)
    {
        var gradient = new double[theta.Length];
        AffineModel.Backward(phi, MultinomialGradient(AffineOutput(theta, phi, k), y), gradient);
        return gradient;
    }

    private static double AffineSquaredLoss(double[] theta, double[] phi, double[] target) =>
        SquaredLoss.Value(AffineOutput(theta, phi, target.Length), target);

    private static double[] AffineSquaredGradient(double[] theta, double[] phi, double[] target)
    {
        var dz = new double[target.Length];
        SquaredLoss.Gradient(AffineOutput(theta, phi, target.Length), target, dz);
        var gradient = new double[theta.Length];
        AffineModel.Backward(phi, dz, gradient);
        return gradient;
    }

    private static double NetworkLoss(double[] theta, double[] x, int y, int hidden, int classes)
    {
        var z = new double[classes];
        OneHiddenLayerNetwork.Forward(theta, x, hidden, z);
        return MultinomialLogisticLoss.Value(z, y);
    }
}
