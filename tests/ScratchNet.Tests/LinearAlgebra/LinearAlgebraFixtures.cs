namespace ScratchNet.Tests.LinearAlgebra;

/// <summary>Naive twins and random matrices for the linear-algebra tests.</summary>
internal static class LinearAlgebraFixtures
{
    public static double[] RandomMatrix(Random random, int rows, int columns)
    {
        var values = new double[rows * columns];
        for (var i = 0; i < values.Length; i++)
            values[i] = (2 * random.NextDouble()) - 1;
        return values;
    }

    /// <summary>B·Bᵀ + shift·I: symmetric positive definite for shift &gt; 0.</summary>
    public static double[] RandomSpd(Random random, int n, double shift = 1)
    {
        var b = RandomMatrix(random, n, n);
        var a = MultiplyTransposed(b, b, n, n, n);
        for (var i = 0; i < n; i++)
            a[(i * n) + i] += shift;
        return a;
    }

    /// <summary>C = A·Bᵀ for A (m×k), B (n×k): the naive triple loop.</summary>
    public static double[] MultiplyTransposed(double[] a, double[] b, int m, int n, int k)
    {
        var c = new double[m * n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = 0.0;
                for (var p = 0; p < k; p++)
                    sum += a[(i * k) + p] * b[(j * k) + p];
                c[(i * n) + j] = sum;
            }
        }
        return c;
    }

    public static double[] MultiplyVector(double[] a, double[] x, int m, int n)
    {
        var y = new double[m];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
                y[i] += a[(i * n) + j] * x[j];
        }
        return y;
    }

    /// <summary>The naive twin of an SPD solve: Gaussian elimination with partial pivoting on a copy.</summary>
    public static double[] GaussianSolve(double[] a, double[] b, int n)
    {
        var m = (double[])a.Clone();
        var x = (double[])b.Clone();
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var row = col + 1; row < n; row++)
            {
                if (Math.Abs(m[(row * n) + col]) > Math.Abs(m[(pivot * n) + col]))
                    pivot = row;
            }
            for (var j = 0; j < n; j++)
                (m[(col * n) + j], m[(pivot * n) + j]) = (m[(pivot * n) + j], m[(col * n) + j]);
            (x[col], x[pivot]) = (x[pivot], x[col]);
            for (var row = col + 1; row < n; row++)
            {
                var factor = m[(row * n) + col] / m[(col * n) + col];
                for (var j = col; j < n; j++)
                    m[(row * n) + j] -= factor * m[(col * n) + j];
                x[row] -= factor * x[col];
            }
        }
        for (var row = n - 1; row >= 0; row--)
        {
            var sum = x[row];
            for (var j = row + 1; j < n; j++)
                sum -= m[(row * n) + j] * x[j];
            x[row] = sum / m[(row * n) + row];
        }
        return x;
    }

    /// <summary>A random orthogonal Q (n×n) as a product of n Householder reflections I − 2vvᵀ/‖v‖².</summary>
    public static double[] RandomOrthogonal(Random random, int n)
    {
        var q = new double[n * n];
        for (var i = 0; i < n; i++)
            q[(i * n) + i] = 1;
        for (var reflection = 0; reflection < n; reflection++)
        {
            var v = RandomMatrix(random, 1, n);
            var norm2 = v.Sum(x => x * x);
            for (var i = 0; i < n; i++) // Q ← Q·(I − 2vvᵀ/‖v‖²)
            {
                var dot = 0.0;
                for (var j = 0; j < n; j++)
                    dot += q[(i * n) + j] * v[j];
                for (var j = 0; j < n; j++)
                    q[(i * n) + j] -= 2 * dot * v[j] / norm2;
            }
        }
        return q;
    }

    public static double MaxAbsDifference(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var max = 0.0;
        for (var i = 0; i < a.Length; i++)
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }
}
