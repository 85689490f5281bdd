using ScratchNet.Calculus;

namespace ScratchNet.Tests.Calculus;

public class BinaryLogisticLossTests
{
    [CalculusProperty]
    public bool First_derivative_matches_central_differences(Logit z, bool positive)
    {
        var y = positive ? 1 : -1;
        return GradientCheck.Derivative(t => BinaryLogisticLoss.Value(t, y), z.Value, BinaryLogisticLoss.Derivative(z.Value, y)).Passes(1e-6);
    }

    [CalculusProperty]
    public bool Second_derivative_matches_central_differences_of_the_first(Logit z, bool positive)
    {
        var y = positive ? 1 : -1;
        return GradientCheck.Derivative(t => BinaryLogisticLoss.Derivative(t, y), z.Value, BinaryLogisticLoss.SecondDerivative(z.Value, y)).Passes(1e-6);
    }

    [CalculusProperty]
    public bool Is_convex_finite_and_non_negative(Logit z, bool positive)
    {
        var y = positive ? 1 : -1;
        var value = BinaryLogisticLoss.Value(z.Value, y);
        return double.IsFinite(value) && value >= 0 && BinaryLogisticLoss.SecondDerivative(z.Value, y) >= 0;
    }

    [Theory]
    [InlineData(-3.0)]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(12.0)]
    public void Matches_the_report_for_y_equal_one(double z)
    {
        var sigma = 1 / (1 + Math.Exp(-z));
        Assert.Equal(-Math.Log(sigma), BinaryLogisticLoss.Value(z, 1), 1e-14);        // eq. (1)
        Assert.Equal(sigma - 1, BinaryLogisticLoss.Derivative(z, 1), 1e-15);          // eq. (2)
        Assert.Equal(sigma * (1 - sigma), BinaryLogisticLoss.SecondDerivative(z, 1), 1e-15); // eq. (3)
        Assert.Equal(BinaryLogisticLoss.Value(-z, 1), BinaryLogisticLoss.Value(z, -1)); // L(z; −1) = L(−z; +1)
    }

    [Fact]
    public void Extreme_margins_give_the_exact_asymptotes()
    {
        Assert.Equal(1e4, BinaryLogisticLoss.Value(-1e4, 1));
        Assert.Equal(0.0, BinaryLogisticLoss.Value(1e4, 1));
        Assert.Equal(-1.0, BinaryLogisticLoss.Derivative(-1e4, 1));
        Assert.Equal(1.0, BinaryLogisticLoss.Derivative(1e4, -1));
    }

    [Fact]
    public void A_label_other_than_plus_or_minus_one_is_rejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => BinaryLogisticLoss.Value(0, 0));
        Assert.Contains("-1 or +1", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => BinaryLogisticLoss.SecondDerivative(0, 2));
    }
}
