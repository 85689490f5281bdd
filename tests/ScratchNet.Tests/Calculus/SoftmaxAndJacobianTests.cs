using ScratchNet.Calculus;

namespace ScratchNet.Tests.Calculus;

public class SoftmaxAndJacobianTests
{
    [CalculusProperty]
    public bool Jacobian_matches_central_differences(LogitVector z)
    {
        var k = z.Values.Length;
        var s = new double[k];
        SoftmaxAndJacobian.Forward(z.Values, s);
        var jacobian = new double[k * k];
        SoftmaxAndJacobian.Jacobian(s, jacobian);
        return GradientCheck.Jacobian(SoftmaxOf, z.Values, jacobian).Passes(1e-6);
    }

    [CalculusProperty]
    public bool Is_a_finite_probability_vector(LogitVector z)
    {
        var s = SoftmaxOf(z.Values);
        return s.All(p => p is >= 0 and <= 1) && Math.Abs(s.Sum() - 1) <= 1e-14;
    }

    [CalculusProperty]
    public bool Jacobian_is_symmetric_with_rows_summing_to_zero(LogitVector z)
    {
        var k = z.Values.Length;
        var jacobian = new double[k * k];
        SoftmaxAndJacobian.Jacobian(SoftmaxOf(z.Values), jacobian);
        for (var i = 0; i < k; i++)
        {
            var rowSum = 0.0;
            for (var j = 0; j < k; j++)
            {
                rowSum += jacobian[(i * k) + j];
                if (jacobian[(i * k) + j] != jacobian[(j * k) + i])
                    return false;
            }
            if (Math.Abs(rowSum) > 1e-15)
                return false;
        }
        return true;
    }

    [Fact]
    public void Matches_the_naive_formula_and_the_report_entries_on_moderate_logits()
    {
        double[] z = [0.5, -1.25, 2, 0];
        var exp = z.Select(Math.Exp).ToArray();
        var naive = exp.Select(e => e / exp.Sum()).ToArray();
        var s = SoftmaxOf(z);
        for (var i = 0; i < z.Length; i++)
            Assert.Equal(naive[i], s[i], 1e-15);
        var jacobian = new double[16];
        SoftmaxAndJacobian.Jacobian(s, jacobian);
        Assert.Equal(s[2] - (s[2] * s[2]), jacobian[(2 * 4) + 2], 1e-16); // diagonal sⱼ − sⱼ²
        Assert.Equal(-s[0] * s[3], jacobian[(0 * 4) + 3], 1e-16);        // off-diagonal −sⱼsₖ
    }

    [Fact]
    public void LogSumExp_does_not_overflow()
    {
        Assert.Equal(1e4 + Math.Log(2), SoftmaxAndJacobian.LogSumExp([1e4, 1e4]), 1e-12);
        Assert.Equal(-1e4, SoftmaxAndJacobian.LogSumExp([-1e4, -2e4]), 1e-12);
        Assert.Equal(Math.Log(Math.Exp(1) + Math.Exp(2)), SoftmaxAndJacobian.LogSumExp([1, 2]), 1e-15);
        Assert.Equal([1.0, 0.0], SoftmaxOf([1e4, -1e4]));
    }

    [Fact]
    public void Empty_or_mismatched_vectors_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => SoftmaxAndJacobian.Forward([], []));
        Assert.Throws<ArgumentException>(() => SoftmaxAndJacobian.Forward([1, 2], new double[3]));
        Assert.Throws<ArgumentException>(() => SoftmaxAndJacobian.Jacobian([0.5, 0.5], new double[3]));
    }

    internal static double[] SoftmaxOf(double[] z)
    {
        var s = new double[z.Length];
        SoftmaxAndJacobian.Forward(z, s);
        return s;
    }
}
