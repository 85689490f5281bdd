using ScratchNet.Tensors.LinearAlgebra;
using static ScratchNet.Tests.LinearAlgebra.LinearAlgebraFixtures;

namespace ScratchNet.Tests.LinearAlgebra;

public class CholeskyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(33)]
    [InlineData(100)]
    public void Factor_reconstructs_A_from_L_Lt_with_a_positive_lower_triangular_L(int n)
    {
        var a = RandomSpd(new Random(n), n);
        var lower = new double[n * n];
        Cholesky.Factor(a, n, lower);
        for (var i = 0; i < n; i++)
        {
            Assert.True(lower[(i * n) + i] > 0, $"L[{i},{i}] = {lower[(i * n) + i]}");
            for (var j = i + 1; j < n; j++)
                Assert.Equal(0.0, lower[(i * n) + j]);
        }
        var reconstructed = MultiplyTransposed(lower, lower, n, n, n);
        Assert.True(MaxAbsDifference(reconstructed, a) <= 1e-12 * a.Max(Math.Abs), $"max |LLᵀ − A| = {MaxAbsDifference(reconstructed, a)}");
    }

    [Fact]
    public void Factor_of_a_known_matrix()
    {
        // A = L·Lᵀ with L = [[2, 0, 0], [6, 1, 0], [-8, 5, 3]] (a textbook example).
        double[] a = [4, 12, -16, 12, 37, -43, -16, -43, 98];
        var lower = new double[9];
        Cholesky.Factor(a, 3, lower);
        Assert.Equal([2, 0, 0, 6, 1, 0, -8, 5, 3], lower);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(40)]
    public void Solve_matches_Gaussian_elimination_and_leaves_a_tiny_residual(int n)
    {
        var random = new Random(100 + n);
        var a = RandomSpd(random, n);
        var b = RandomMatrix(random, 1, n);
        var x = Cholesky.Solve(a, n, b);
        Assert.True(MaxAbsDifference(x, GaussianSolve(a, b, n)) <= 1e-10);
        Assert.True(MaxAbsDifference(MultiplyVector(a, x, n, n), b) <= 1e-12 * n);
    }

    [Fact]
    public void Solve_may_write_over_its_right_hand_side()
    {
        var a = RandomSpd(new Random(3), 6);
        var b = RandomMatrix(new Random(4), 1, 6);
        var lower = new double[36];
        Cholesky.Factor(a, 6, lower);
        var expected = new double[6];
        Cholesky.Solve(lower, 6, b, expected);
        Cholesky.Solve(lower, 6, b, b);
        Assert.Equal(expected, b);
    }

    [Fact]
    public void An_indefinite_matrix_names_the_failing_pivot_and_suggests_a_larger_ridge()
    {
        // [[1, 2], [2, 1]] has eigenvalues 3 and -1: the second pivot is 1 − 2² = -3.
        var error = Assert.Throws<NotPositiveDefiniteException>(() => Cholesky.Solve([1, 2, 2, 1], 2, [1, 1]));
        Assert.Equal(1, error.PivotIndex);
        Assert.Equal(-3, error.PivotValue);
        Assert.Contains("pivot 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("-3", error.Message, StringComparison.Ordinal);
        Assert.Contains("larger ridge λ", error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
    }

    [Fact]
    public void A_singular_matrix_fails_at_its_zero_pivot()
    {
        var error = Assert.Throws<NotPositiveDefiniteException>(() => Cholesky.Solve([0, 0, 0, 1], 2, [1, 1]));
        Assert.Equal(0, error.PivotIndex);
    }

    [Fact]
    public void A_NaN_entry_is_not_positive_definite()
    {
        Assert.Throws<NotPositiveDefiniteException>(() => Cholesky.Solve([double.NaN], 1, [1]));
    }

    [Fact]
    public void Wrong_lengths_are_rejected_with_the_expected_size()
    {
        var error = Assert.Throws<ArgumentException>(() => Cholesky.Factor(new double[5], 2, new double[4]));
        Assert.Contains("n×n = 4", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Cholesky.Factor(new double[4], 0, new double[4]));
        Assert.Throws<ArgumentException>(() => Cholesky.Solve(new double[4], 2, new double[3], new double[2]));
    }
}
