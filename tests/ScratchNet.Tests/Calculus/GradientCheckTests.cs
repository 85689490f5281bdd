using ScratchNet.Calculus;

namespace ScratchNet.Tests.Calculus;

/// <summary>Tests of the tester: correct derivatives pass, wrong ones are caught.</summary>
public class GradientCheckTests
{
    private static double WrongSigmoidDerivative(double z) => Sigmoid.Value(z) * (1 + Sigmoid.Value(z)); // σ(1+σ): sign slip

    [Fact]
    public void A_wrong_sigmoid_derivative_is_caught()
    {
        var check = GradientCheck.Derivative(Sigmoid.Value, 0, WrongSigmoidDerivative(0));
        Assert.False(check.Passes(1e-6));
        Assert.Equal(0.5, check.MaxRelativeError, 1e-9); // |0.75 − 0.25| / max(1, ...)
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(-1.0)]
    [InlineData(3.0)]
    public void A_derivative_off_by_one_part_in_ten_thousand_is_caught(double z)
    {
        var slightlyWrong = Sigmoid.Derivative(z) * (1 + 1e-4);
        Assert.True(GradientCheck.Derivative(Sigmoid.Value, z, Sigmoid.Derivative(z)).MaxRelativeError < 1e-9);
        Assert.False(GradientCheck.Derivative(Sigmoid.Value, z, slightlyWrong).Passes(1e-6));
    }

    [CalculusProperty]
    public bool The_wrong_sigmoid_derivative_is_caught_wherever_it_differs_visibly(Logit z)
    {
        // σ(1+σ) − σ(1−σ) = 2σ², which exceeds the tolerance unless σ is tiny (z ≲ −8).
        var differsVisibly = 2 * Sigmoid.Value(z.Value) * Sigmoid.Value(z.Value) > 1e-5;
        var caught = !GradientCheck.Derivative(Sigmoid.Value, z.Value, WrongSigmoidDerivative(z.Value)).Passes(1e-6);
        return !differsVisibly || caught;
    }

    [Fact]
    public void Wrong_multinomial_gradients_and_Hessians_are_caught()
    {
        double[] z = [0.3, -1.2, 2.1, 0.5];
        const int Y = 1;
        var correct = MultinomialLogisticLossTests.GradientOf(z, Y);
        var plusOne = (double[])correct.Clone();
        plusOne[Y] += 2; // s + e_y instead of s − e_y
        var noMinusOne = (double[])correct.Clone();
        noMinusOne[Y] += 1; // just s: forgot the −e_y
        Assert.True(GradientCheck.Gradient(v => MultinomialLogisticLoss.Value(v, Y), z, correct).Passes(1e-6));
        Assert.False(GradientCheck.Gradient(v => MultinomialLogisticLoss.Value(v, Y), z, plusOne).Passes(1e-6));
        Assert.False(GradientCheck.Gradient(v => MultinomialLogisticLoss.Value(v, Y), z, noMinusOne).Passes(1e-6));

        var s = SoftmaxAndJacobianTests.SoftmaxOf(z);
        var wrongHessian = new double[16]; // diag(s) + s sᵀ
        for (var i = 0; i < 4; i++)
        {
            for (var j = 0; j < 4; j++)
                wrongHessian[(i * 4) + j] = (i == j ? s[i] : 0) + (s[i] * s[j]);
        }
        var check = GradientCheck.Jacobian(v => MultinomialLogisticLossTests.GradientOf(v, Y), z, wrongHessian);
        Assert.False(check.Passes(1e-6));
        Assert.Contains("max relative error", check.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_report_eq_7_matrix_is_not_the_gradient()
    {
        // Eq. (7) prints row j as (s₀, …, s_j − 1, …): read as a Jacobian of a vector, it is 1·sᵀ − I, not s − e_y.
        double[] z = [0.3, -1.2, 2.1];
        var s = SoftmaxAndJacobianTests.SoftmaxOf(z);
        var printed = new double[9];
        for (var j = 0; j < 3; j++)
        {
            for (var k = 0; k < 3; k++)
                printed[(j * 3) + k] = s[k] - (j == k ? 1 : 0);
        }
        // Row y of the printed matrix is the gradient for class y ...
        for (var y = 0; y < 3; y++)
            Assert.True(GradientCheck.Gradient(v => MultinomialLogisticLoss.Value(v, y), z, printed.AsSpan(y * 3, 3)).Passes(1e-6));
        // ... but the matrix is not the Hessian, which is diag(s) − s sᵀ.
        Assert.False(GradientCheck.Jacobian(v => MultinomialLogisticLossTests.GradientOf(v, 0), z, printed).Passes(1e-6));
    }

    [Fact]
    public void Known_derivatives_of_simple_functions()
    {
        // f(x) = x₀²x₁ + sin x₁: ∇f = (2x₀x₁, x₀² + cos x₁), ∇²f = [[2x₁, 2x₀], [2x₀, −sin x₁]].
        static double F(double[] x) => (x[0] * x[0] * x[1]) + Math.Sin(x[1]);
        double[] x = [1.5, -0.5];
        double[] gradient = [2 * x[0] * x[1], (x[0] * x[0]) + Math.Cos(x[1])];
        double[] hessian = [2 * x[1], 2 * x[0], 2 * x[0], -Math.Sin(x[1])];
        Assert.True(GradientCheck.Gradient(F, x, gradient).MaxRelativeError < 1e-9);
        Assert.True(GradientCheck.Hessian(F, x, hessian).MaxRelativeError < 1e-6);
        hessian[1] = hessian[2] = 2 * x[0] * 1.01; // 1% off
        var check = GradientCheck.Hessian(F, x, hessian);
        Assert.False(check.Passes(1e-6));
        Assert.True(check.WorstIndex is 1 or 2, check.ToString()); // an off-diagonal entry, [0, 1] or [1, 0]
    }

    [Fact]
    public void The_Jacobian_of_a_linear_map_is_its_matrix()
    {
        double[] a = [1, 2, 3, -4, 5, -6]; // 2×3
        double[] Map(double[] x) => [a[0] * x[0] + a[1] * x[1] + a[2] * x[2], a[3] * x[0] + a[4] * x[1] + a[5] * x[2]];
        var numeric = GradientCheck.NumericJacobian(Map, [0.1, 1e4, -7]);
        for (var i = 0; i < 6; i++)
            Assert.Equal(a[i], numeric[i], 1e-6);
        Assert.True(GradientCheck.Jacobian(Map, [0.1, 2, -7], a).Passes(1e-9));
    }

    [Fact]
    public void A_NaN_derivative_never_passes()
    {
        Assert.False(GradientCheck.Derivative(x => x * x, 1, double.NaN).Passes(double.MaxValue));
        Assert.False(GradientCheck.Gradient(x => x[0], [1], [double.NaN]).Passes(1));
    }

    [Theory]
    [InlineData(0.5, 0.5, 0)]
    [InlineData(3.0, 3.3, 0.3 / 3.3)]   // relative above 1
    [InlineData(1e-3, 2e-3, 1e-3)]      // absolute below 1
    [InlineData(0.0, 1e-12, 1e-12)]
    public void Relative_error_is_relative_above_one_and_absolute_below(double analytic, double numeric, double expected)
    {
        Assert.Equal(expected, GradientCheck.RelativeError(analytic, numeric), 1e-15);
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => GradientCheck.Gradient(x => x[0], [1, 2], [1]));
        Assert.Throws<ArgumentException>(() => GradientCheck.Hessian(x => x[0], [1, 2], [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => GradientCheck.Jacobian(x => x, [1, 2], [1, 0, 0]));
    }
}
