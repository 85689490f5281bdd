using ScratchNet.Calculus;

namespace ScratchNet.Tests.Calculus;

public class SigmoidTests
{
    [CalculusProperty]
    public bool Derivative_matches_central_differences(Logit z) =>
        GradientCheck.Derivative(Sigmoid.Value, z.Value, Sigmoid.Derivative(z.Value)).Passes(1e-6);

    [CalculusProperty]
    public bool Value_and_derivative_stay_finite_and_in_range(Logit z)
    {
        double s = Sigmoid.Value(z.Value), ds = Sigmoid.Derivative(z.Value);
        return s is >= 0 and <= 1 && ds is >= 0 and <= 0.25;
    }

    [CalculusProperty]
    public bool Is_symmetric_about_one_half(Logit z) =>
        Math.Abs(Sigmoid.Value(z.Value) + Sigmoid.Value(-z.Value) - 1) <= 1e-15;

    [Theory]
    [InlineData(-30.0)]
    [InlineData(-2.5)]
    [InlineData(0.0)]
    [InlineData(0.7)]
    [InlineData(30.0)]
    public void Matches_the_naive_formulas_where_they_are_safe(double z)
    {
        var naive = 1 / (1 + Math.Exp(-z));
        Assert.Equal(naive, Sigmoid.Value(z), 1e-15);
        // The report's intermediate form e^{-z}/(1 + e^{-z})² from its derivation in 1.1.
        Assert.Equal(Math.Exp(-z) / ((1 + Math.Exp(-z)) * (1 + Math.Exp(-z))), Sigmoid.Derivative(z), 1e-15);
    }

    [Fact]
    public void The_far_tails_keep_their_digits()
    {
        // 1 − σ(40) ≈ e^{-40} ≈ 4.25e-18 would round to 0 as 1 − σ; σ(z)·σ(−z) keeps it.
        Assert.Equal(Math.Exp(-40), Sigmoid.Derivative(40), 1e-30);
        Assert.Equal(Math.Exp(-700), Sigmoid.Value(-700) / 1, Math.Exp(-700) * 1e-12);
        Assert.Equal(0.0, Sigmoid.Value(-1e4));
        Assert.Equal(1.0, Sigmoid.Value(1e4));
    }

    [Theory]
    [InlineData(0.0, 0.6931471805599453)]
    [InlineData(1e4, 1e4)]
    [InlineData(-1e4, 0.0)]
    [InlineData(-40.0, 4.248354255291589e-18)]
    public void Softplus_is_stable_and_accurate(double t, double expected)
    {
        Assert.Equal(expected, Sigmoid.Softplus(t), Math.Max(1e-15, expected * 1e-14));
    }

    [Fact]
    public void LogOnePlus_is_accurate_for_tiny_arguments()
    {
        Assert.Equal(1e-20, Sigmoid.LogOnePlus(1e-20));
        Assert.Equal(Math.Log(2), Sigmoid.LogOnePlus(1), 1e-16);
        Assert.Equal(9.9995000333308335e-5, Sigmoid.LogOnePlus(1e-4), 1e-19);
    }
}
