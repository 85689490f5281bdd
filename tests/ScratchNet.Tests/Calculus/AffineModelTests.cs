using FsCheck;
using FsCheck.Fluent;
using ScratchNet.Calculus;

namespace ScratchNet.Tests.Calculus;

/// <summary>Report 1.5 (first part) and 2.1: losses of z = Wφ + b, differentiated and convex in θ = (W, b).</summary>
public class AffineModelTests
{
    /// <summary>Random shapes K = 1..5, D = 1..6 with seeded random φ, θ, and a class or target.</summary>
    public sealed record AffineCase(int K, int D, double[] Phi, double[] Theta, int Class, double[] Target)
    {
        public static Arbitrary<AffineCase> Arbitrary() =>
            Gen.Zip(Gen.Choose(1, 5), Gen.Zip(Gen.Choose(1, 6), Gen.Choose(0, int.MaxValue))).Select(t =>
            {
                var (k, (d, seed)) = (t.Item1, (t.Item2.Item1, t.Item2.Item2));
                var random = new Random(seed);
                return new AffineCase(k, d, RandomPoints.Normals(random, d, scale: 3),
                    RandomPoints.Normals(random, AffineModel.ParameterCount(k, d), scale: 2), random.Next(k), RandomPoints.Normals(random, k));
            }).ToArbitrary();
    }

    [FsCheck.Xunit.Property(Arbitrary = [typeof(AffineCase)], MaxTest = 100, Replay = "(7,9)")]
    public bool Multinomial_gradient_and_Hessian_in_theta_match_finite_differences_and_are_PSD(AffineCase c)
    {
        var p = c.Theta.Length;
        var hessian = new double[p * p];
        AffineModel.Hessian(c.Phi, MultinomialLogisticLossTests.HessianOf(Output(c.Theta, c)), c.K, hessian);
        return GradientCheck.Gradient(t => MultinomialLogisticLoss.Value(Output(t, c), c.Class), c.Theta, MultinomialGradient(c.Theta, c)).Passes(1e-6)
            && GradientCheck.Jacobian(t => MultinomialGradient(t, c), c.Theta, hessian).Passes(1e-6)
            && ConvexityCheck.IsPositiveSemidefinite(hessian, p);
    }

    [FsCheck.Xunit.Property(Arbitrary = [typeof(AffineCase)], MaxTest = 100, Replay = "(7,9)")]
    public bool Squared_loss_gradient_and_Hessian_in_theta_match_finite_differences_and_are_PSD(AffineCase c)
    {
        var p = c.Theta.Length;
        var identity = new double[c.K * c.K];
        SquaredLoss.Hessian(c.K, identity);
        var hessian = new double[p * p];
        AffineModel.Hessian(c.Phi, identity, c.K, hessian);
        return GradientCheck.Gradient(t => SquaredLoss.Value(Output(t, c), c.Target), c.Theta, SquaredGradient(c.Theta, c)).Passes(1e-6)
            && GradientCheck.Jacobian(t => SquaredGradient(t, c), c.Theta, hessian).Passes(1e-6)
            && ConvexityCheck.IsPositiveSemidefinite(hessian, p);
    }

    [CalculusProperty]
    public bool Squared_loss_gradient_and_Hessian_in_z(LogitVector z)
    {
        var target = z.Values.Select((_, i) => (double)i).ToArray();
        var zNear = z.Values.Select(v => Math.Clamp(v, -50, 50)).ToArray(); // far out, L's own rounding swamps differences
        var gradient = new double[z.Values.Length];
        SquaredLoss.Gradient(zNear, target, gradient);
        var identity = new double[gradient.Length * gradient.Length];
        SquaredLoss.Hessian(gradient.Length, identity);
        return GradientCheck.Gradient(v => SquaredLoss.Value(v, target), zNear, gradient).Passes(1e-6)
            && GradientCheck.Jacobian(v => SquaredGradientInZ(v, target), zNear, identity).Passes(1e-6);
    }

    [Fact]
    public void Forward_matches_a_naive_matrix_vector_product()
    {
        double[] theta = [1, 2, 3, 4, 5, 6, 10, 20]; // W = [[1, 2, 3], [4, 5, 6]], b = [10, 20]
        double[] phi = [1, -1, 2];
        var z = new double[2];
        AffineModel.Forward(theta, phi, 2, z);
        Assert.Equal([1 - 2 + 6 + 10, 4 - 5 + 12 + 20], z);
    }

    [Fact]
    public void Backward_accumulates_dW_equal_dz_phi_transposed_and_db_equal_dz()
    {
        var dTheta = Enumerable.Repeat(1.0, 8).ToArray();
        AffineModel.Backward([1, -1, 2], [3, -2], dTheta);
        Assert.Equal([1 + 3, 1 - 3, 1 + 6, 1 - 2, 1 + 2, 1 - 4, 1 + 3, 1 - 2], dTheta);
    }

    [Fact]
    public void Convex_along_random_segments()
    {
        double[] phi = [0.5, -2, 3];
        var check = ConvexityCheck.Midpoint(t => MultinomialLogisticLoss.Value(Output(t, 3, phi), 1),
            r => RandomPoints.Normals(r, AffineModel.ParameterCount(3, 3), scale: 4), lines: 500, new Random(1));
        Assert.True(check.ConsistentWithConvexity, $"{check.Violations} violations, worst gap {check.WorstGap}");
    }

    [Fact]
    public void Wrong_shapes_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => AffineModel.Forward(new double[7], [1, 2, 3], 2, new double[2]));
        Assert.Throws<ArgumentException>(() => AffineModel.Forward(new double[8], [1, 2, 3], 2, new double[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => AffineModel.Forward([], [1], 0, []));
        Assert.Throws<ArgumentException>(() => AffineModel.Hessian([1], new double[4], 2, new double[15]));
    }

    private static double[] SquaredGradientInZ(double[] z, double[] target)
    {
        var gradient = new double[z.Length];
        SquaredLoss.Gradient(z, target, gradient);
        return gradient;
    }

    private static double[] Output(double[] theta, AffineCase c) => Output(theta, c.K, c.Phi);

    private static double[] Output(double[] theta, int k, double[] phi)
    {
        var z = new double[k];
        AffineModel.Forward(theta, phi, k, z);
        return z;
    }

    private static double[] MultinomialGradient(double[] theta, AffineCase c)
    {
        var dTheta = new double[theta.Length];
        AffineModel.Backward(c.Phi, MultinomialLogisticLossTests.GradientOf(Output(theta, c), c.Class), dTheta);
        return dTheta;
    }

    private static double[] SquaredGradient(double[] theta, AffineCase c)
    {
        var dz = new double[c.K];
        SquaredLoss.Gradient(Output(theta, c), c.Target, dz);
        var dTheta = new double[theta.Length];
        AffineModel.Backward(c.Phi, dz, dTheta);
        return dTheta;
    }
}
