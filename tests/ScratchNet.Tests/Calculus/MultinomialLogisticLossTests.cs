using ScratchNet.Calculus;
using ScratchNet.Tensors.LinearAlgebra;

namespace ScratchNet.Tests.Calculus;

public class MultinomialLogisticLossTests
{
    [CalculusProperty]
    public bool Gradient_s_minus_e_y_matches_central_differences(LogitVector z, uint label)
    {
        var y = (int)(label % (uint)z.Values.Length);
        return GradientCheck.Gradient(v => MultinomialLogisticLoss.Value(v, y), z.Values, GradientOf(z.Values, y)).Passes(1e-6);
    }

    [CalculusProperty]
    public bool Hessian_matches_central_differences_of_the_gradient(LogitVector z, uint label)
    {
        var y = (int)(label % (uint)z.Values.Length);
        return GradientCheck.Jacobian(v => GradientOf(v, y), z.Values, HessianOf(z.Values)).Passes(1e-6);
    }

    [CalculusProperty]
    public bool Hessian_is_positive_semidefinite(LogitVector z) =>
        ConvexityCheck.IsPositiveSemidefinite(HessianOf(z.Values), z.Values.Length);

    [CalculusProperty]
    public bool Value_is_finite_and_non_negative(LogitVector z, uint label)
    {
        var value = MultinomialLogisticLoss.Value(z.Values, (int)(label % (uint)z.Values.Length));
        return double.IsFinite(value) && value >= 0;
    }

    /// <summary>The report's algebra in 1.4: xᵀHx = Σ_{i&lt;j} sᵢsⱼ(xᵢ − xⱼ)².</summary>
    [CalculusProperty]
    public bool Quadratic_form_is_the_reports_sum_of_squares(LogitVector z, LogitVector direction)
    {
        var k = Math.Min(z.Values.Length, direction.Values.Length);
        var zk = z.Values[..k];
        var x = direction.Values[..k].Select(v => Math.Clamp(v, -10, 10)).ToArray();
        var s = SoftmaxAndJacobianTests.SoftmaxOf(zk);
        var hessian = HessianOf(zk);
        double quadratic = 0, sumOfSquares = 0;
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                quadratic += x[i] * hessian[(i * k) + j] * x[j];
                if (i < j)
                    sumOfSquares += s[i] * s[j] * (x[i] - x[j]) * (x[i] - x[j]);
            }
        }
        return Math.Abs(quadratic - sumOfSquares) <= 1e-12 * Math.Max(1, sumOfSquares);
    }

    [Fact]
    public void Second_differences_of_the_loss_agree_with_the_Hessian_on_moderate_logits()
    {
        double[] z = [0.3, -1.2, 2.1, 0.05, -0.4];
        Assert.True(GradientCheck.Hessian(v => MultinomialLogisticLoss.Value(v, 2), z, HessianOf(z)).Passes(1e-6));
    }

    [Fact]
    public void Hessian_has_a_zero_eigenvalue_along_the_ones_vector()
    {
        // Adding a constant to every logit changes nothing, so H·1 = 0 and λ_min = 0 (PSD, not definite).
        double[] z = [0.3, -1.2, 2.1];
        Assert.Equal(0, SymmetricEigen.SmallestEigenvalue(HessianOf(z), 3), 1e-15);
    }

    [Fact]
    public void Extreme_logits_give_finite_exact_values()
    {
        Assert.Equal(2e4, MultinomialLogisticLoss.Value([1e4, -1e4], 1));
        Assert.Equal(0.0, MultinomialLogisticLoss.Value([1e4, -1e4], 0));
        Assert.Equal([1.0, -1.0], GradientOf([1e4, -1e4], 1));
    }

    [Fact]
    public void A_class_outside_0_to_K_minus_1_is_rejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => MultinomialLogisticLoss.Value([1, 2, 3], 3));
        Assert.Contains("0..2", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => MultinomialLogisticLoss.Gradient([1, 2], -1, new double[2]));
    }

    internal static double[] GradientOf(double[] z, int y)
    {
        var gradient = new double[z.Length];
        MultinomialLogisticLoss.Gradient(z, y, gradient);
        return gradient;
    }

    internal static double[] HessianOf(double[] z)
    {
        var hessian = new double[z.Length * z.Length];
        MultinomialLogisticLoss.Hessian(z, hessian);
        return hessian;
    }
}
