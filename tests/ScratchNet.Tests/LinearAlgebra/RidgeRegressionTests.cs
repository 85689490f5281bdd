using ScratchNet.Tensors.LinearAlgebra;
using static ScratchNet.Tests.LinearAlgebra.LinearAlgebraFixtures;

namespace ScratchNet.Tests.LinearAlgebra;

public class RidgeRegressionTests
{
    [Theory]
    [InlineData(50, 8, 1e-4)]
    [InlineData(30, 30, 1.0)]
    [InlineData(10, 25, 0.5)] // more features than rows: only the ridge makes it solvable
    public void Solve_matches_the_naive_normal_equations(int n, int d, double lambda)
    {
        var random = new Random(n * d);
        var x = RandomMatrix(random, n, d);
        var y = RandomMatrix(random, 1, n);
        var w = RidgeRegression.Solve(x, y, n, d, lambda);

        var xt = Transpose(x, n, d);
        var gram = MultiplyTransposed(xt, xt, d, d, n);
        for (var j = 0; j < d; j++)
            gram[(j * d) + j] += lambda;
        var expected = GaussianSolve(gram, MultiplyVector(xt, y, d, n), d);
        Assert.True(MaxAbsDifference(w, expected) <= 1e-9 * Math.Max(1, expected.Max(Math.Abs)), $"max |ŵ − naive| = {MaxAbsDifference(w, expected)}");
    }

    [Fact]
    public void The_solution_zeroes_the_gradient_of_the_ridge_objective()
    {
        // ∇_w (½‖Xw − y‖² + ½λ‖w‖²) = Xᵀ(Xw − y) + λw must vanish at ŵ.
        const int N = 200, D = 12;
        const double Lambda = 0.1;
        var random = new Random(7);
        var x = RandomMatrix(random, N, D);
        var y = RandomMatrix(random, 1, N);
        var w = RidgeRegression.Solve(x, y, N, D, Lambda);
        var residual = MultiplyVector(x, w, N, D).Zip(y, (prediction, target) => prediction - target).ToArray();
        var gradient = MultiplyVector(Transpose(x, N, D), residual, D, N);
        for (var j = 0; j < D; j++)
            Assert.True(Math.Abs(gradient[j] + (Lambda * w[j])) <= 1e-10, $"gradient[{j}] = {gradient[j] + (Lambda * w[j])}");
    }

    [Fact]
    public void Exact_data_is_recovered_when_lambda_is_zero()
    {
        var random = new Random(11);
        const int N = 40, D = 5;
        var x = RandomMatrix(random, N, D);
        double[] truth = [1.5, -2, 0.25, 3, -0.5];
        var w = RidgeRegression.Solve(x, MultiplyVector(x, truth, N, D), N, D, lambda: 0);
        Assert.True(MaxAbsDifference(w, truth) <= 1e-10);
    }

    [Fact]
    public void Duplicate_columns_without_a_ridge_ask_for_a_larger_lambda()
    {
        double[] x = [1, 1, 2, 2, 3, 3]; // 3×2, both columns equal: XᵀX is singular
        var error = Assert.Throws<NotPositiveDefiniteException>(() => RidgeRegression.Solve(x, [1, 2, 3], 3, 2, lambda: 0));
        Assert.Equal(1, error.PivotIndex);
        Assert.Contains("ridge λ", error.Message, StringComparison.Ordinal);
        RidgeRegression.Solve(x, [1, 2, 3], 3, 2, lambda: 1e-4); // the fix the message suggests works
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => RidgeRegression.Solve(new double[6], new double[3], 3, 3, 1));
        Assert.Throws<ArgumentException>(() => RidgeRegression.Solve(new double[6], new double[2], 3, 2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => RidgeRegression.Solve(new double[6], new double[3], 3, 2, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => RidgeRegression.Solve(new double[6], new double[3], 3, 2, double.NaN));
    }

    private static double[] Transpose(double[] a, int rows, int columns)
    {
        var t = new double[a.Length];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
                t[(j * rows) + i] = a[(i * columns) + j];
        }
        return t;
    }
}
