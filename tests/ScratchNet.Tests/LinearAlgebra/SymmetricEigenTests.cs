using ScratchNet.Tensors.LinearAlgebra;
using static ScratchNet.Tests.LinearAlgebra.LinearAlgebraFixtures;

namespace ScratchNet.Tests.LinearAlgebra;

public class SymmetricEigenTests
{
    [Fact]
    public void A_diagonal_matrix_gives_its_diagonal_in_ascending_order()
    {
        Assert.Equal([-1, 2, 5], SymmetricEigen.Eigenvalues([5, 0, 0, 0, -1, 0, 0, 0, 2], 3));
    }

    [Theory]
    [InlineData(2, 1, 2)]
    [InlineData(1, 3, -4)]
    [InlineData(0, 1e-9, 0)]
    public void A_2x2_matrix_matches_the_closed_form(double a, double b, double c)
    {
        // [[a, b], [b, c]]: λ = (a + c)/2 ± √(((a − c)/2)² + b²).
        var mean = (a + c) / 2;
        var radius = Math.Sqrt((((a - c) / 2) * ((a - c) / 2)) + (b * b));
        var values = SymmetricEigen.Eigenvalues([a, b, b, c], 2);
        Assert.Equal(mean - radius, values[0], 1e-14);
        Assert.Equal(mean + radius, values[1], 1e-14);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(9)]
    [InlineData(50)]
    [InlineData(100)]
    public void The_second_difference_matrix_has_eigenvalues_2_minus_2cos(int n)
    {
        // tridiag(-1, 2, -1): λₖ = 2 − 2cos(kπ/(n + 1)), k = 1..n.
        var a = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            a[(i * n) + i] = 2;
            if (i + 1 < n)
                a[(i * n) + i + 1] = a[((i + 1) * n) + i] = -1;
        }
        var values = SymmetricEigen.Eigenvalues(a, n);
        for (var k = 1; k <= n; k++)
            Assert.Equal(2 - (2 * Math.Cos(k * Math.PI / (n + 1))), values[k - 1], 1e-12);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(40)]
    public void A_rotated_diagonal_Q_D_Qt_gives_back_D(int n)
    {
        var random = new Random(n);
        var q = RandomOrthogonal(random, n);
        var d = Enumerable.Range(0, n).Select(i => (i * 0.75) - 3).ToArray(); // includes negatives and repeats none
        var qd = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
                qd[(i * n) + j] = q[(i * n) + j] * d[j];
        }
        var a = MultiplyTransposed(qd, q, n, n, n); // Q·D·Qᵀ
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < i; j++)
                a[(i * n) + j] = a[(j * n) + i]; // symmetric to the last bit
        }
        Assert.True(MaxAbsDifference(SymmetricEigen.Eigenvalues(a, n), d) <= 1e-12);
    }

    [Fact]
    public void The_Hilbert_matrix_matches_numpy()
    {
        // numpy.linalg.eigvalsh of the 6×6 Hilbert matrix 1/(i + j + 1), condition number ~1.5e7.
        double[] expected = [1.0827994844683569e-07, 1.2570757122623588e-05, 0.0006157483541826077,
            0.016321521319875697, 0.2423608705752093, 1.6188998589243386];
        var a = new double[36];
        for (var i = 0; i < 6; i++)
        {
            for (var j = 0; j < 6; j++)
                a[(i * 6) + j] = 1.0 / (i + j + 1);
        }
        var values = SymmetricEigen.Eigenvalues(a, 6);
        for (var i = 0; i < 6; i++)
            Assert.Equal(expected[i], values[i], 1e-14); // a few ulps of ‖A‖ ≈ 1.6
    }

    [Fact]
    public void An_indefinite_matrix_matches_numpy()
    {
        double[] expected = [-2.197516977439427, 1.0843644637732177, 2.2685314064312423, 6.844621107234966];
        double[] a = [4, 1, -2, 2, 1, 2, 0, 1, -2, 0, 3, -2, 2, 1, -2, -1];
        var values = SymmetricEigen.Eigenvalues(a, 4);
        for (var i = 0; i < 4; i++)
            Assert.Equal(expected[i], values[i], 1e-13);
        Assert.Equal(expected[0], SymmetricEigen.SmallestEigenvalue(a, 4), 1e-13);
    }

    [Fact]
    public void Trace_and_Frobenius_norm_are_preserved_on_random_symmetric_matrices()
    {
        var random = new Random(5);
        for (var n = 1; n <= 30; n++)
        {
            var a = RandomMatrix(random, n, n);
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < i; j++)
                    a[(i * n) + j] = a[(j * n) + i];
            }
            var values = SymmetricEigen.Eigenvalues(a, n);
            var trace = Enumerable.Range(0, n).Sum(i => a[(i * n) + i]);
            Assert.Equal(trace, values.Sum(), 1e-12);
            Assert.Equal(a.Sum(v => v * v), values.Sum(v => v * v), 1e-11);
        }
    }

    [Fact]
    public void Empty_non_symmetric_and_non_finite_inputs()
    {
        Assert.Empty(SymmetricEigen.Eigenvalues([], 0));
        var error = Assert.Throws<ArgumentException>(() => SymmetricEigen.Eigenvalues([1, 2, 3, 4], 2));
        Assert.Contains("symmetric", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Eigenvalues([double.NaN], 1));
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Eigenvalues(new double[5], 2));
    }
}
