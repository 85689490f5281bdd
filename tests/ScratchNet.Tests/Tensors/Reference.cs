using System.Numerics;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Tensors;

/// <summary>
/// The naive twins of the fast kernels: the textbook loops, written for clarity, not speed. Tests compare each fast
/// kernel with its twin here. Sums run in double so the twin is the more accurate of the two.
/// </summary>
internal static class Reference
{
    /// <summary>op(A)(i, p) for the layout (A stored m × k, or k × m for TransposeA).</summary>
    public static T OpA<T>(GemmLayout layout, T[] a, int m, int k, int i, int p)
        => layout == GemmLayout.TransposeA ? a[p * m + i] : a[i * k + p];

    /// <summary>op(B)(p, j) for the layout (B stored k × n, or n × k for TransposeB).</summary>
    public static T OpB<T>(GemmLayout layout, T[] b, int n, int k, int p, int j)
        => layout == GemmLayout.TransposeB ? b[j * k + p] : b[p * n + j];

    /// <summary>C = α·op(A)·op(B) + β·C, plus the bound Σ|α·a·b| + |β·c| per element for error tolerances.</summary>
    public static (double[] Values, double[] Magnitudes) Gemm<T>(GemmLayout layout, int m, int n, int k, T alpha,
        T[] a, T[] b, T beta, T[] c)
        where T : IFloatingPointIeee754<T>
    {
        var values = new double[m * n];
        var magnitudes = new double[m * n];
        double al = double.CreateChecked(alpha), be = double.CreateChecked(beta);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                for (int p = 0; p < k; p++)
                {
                    double product = double.CreateChecked(OpA(layout, a, m, k, i, p))
                        * double.CreateChecked(OpB(layout, b, n, k, p, j));
                    sum += product;
                    magnitude += Math.Abs(product);
                }
                double old = be == 0 ? 0 : double.CreateChecked(c[i * n + j]);
                values[i * n + j] = al * sum + be * old;
                magnitudes[i * n + j] = Math.Abs(al) * magnitude + Math.Abs(be * old);
            }
        }
        return (values, magnitudes);
    }

    /// <summary>y = α·A·x + β·y (or α·Aᵀ·x + β·y when transposed), A rows × cols.</summary>
    public static double[] Gemv<T>(bool transposed, T[] a, int rows, int cols, T[] x, T alpha, T beta, T[] y)
        where T : IFloatingPointIeee754<T>
    {
        int outputs = transposed ? cols : rows, inputs = transposed ? rows : cols;
        var result = new double[outputs];
        for (int o = 0; o < outputs; o++)
        {
            double sum = 0;
            for (int q = 0; q < inputs; q++)
                sum += double.CreateChecked(transposed ? a[q * cols + o] : a[o * cols + q]) * double.CreateChecked(x[q]);
            double old = beta == T.Zero ? 0 : double.CreateChecked(beta) * double.CreateChecked(y[o]);
            result[o] = double.CreateChecked(alpha) * sum + old;
        }
        return result;
    }

    /// <summary>A + α·x·yᵀ.</summary>
    public static double[] Rank1Update<T>(T[] x, T[] y, T alpha, T[] a) where T : IFloatingPointIeee754<T>
    {
        var result = new double[a.Length];
        for (int i = 0; i < x.Length; i++)
            for (int j = 0; j < y.Length; j++)
                result[i * y.Length + j] = double.CreateChecked(a[i * y.Length + j])
                    + double.CreateChecked(alpha) * double.CreateChecked(x[i]) * double.CreateChecked(y[j]);
        return result;
    }

    public static T ReluBackward<T>(T zOrA, T da) where T : IFloatingPointIeee754<T> => zOrA > T.Zero ? da : T.Zero;
}

/// <summary>The canonical reduction order of docs/kernels.md written as plainly as possible: L = 64 bytes of lanes,
/// lane l accumulates elements i ≡ l (mod L) in increasing i from +0, then lanes are halved down to one.</summary>
internal static class CanonicalTwin
{
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : IFloatingPointIeee754<T>
    {
        var lanes = new T[64 / (typeof(T) == typeof(float) ? 4 : 8)];
        Array.Fill(lanes, T.Zero);
        for (int i = 0; i < x.Length; i++)
            lanes[i % lanes.Length] = T.FusedMultiplyAdd(x[i], y[i], lanes[i % lanes.Length]);
        return Halve(lanes);
    }

    public static T Sum<T>(ReadOnlySpan<T> x) where T : IFloatingPointIeee754<T>
    {
        var lanes = new T[64 / (typeof(T) == typeof(float) ? 4 : 8)];
        Array.Fill(lanes, T.Zero);
        for (int i = 0; i < x.Length; i++)
            lanes[i % lanes.Length] += x[i];
        return Halve(lanes);
    }

    private static T Halve<T>(T[] lanes) where T : IFloatingPointIeee754<T>
    {
        for (int width = lanes.Length / 2; width >= 1; width /= 2)
            for (int l = 0; l < width; l++)
                lanes[l] += lanes[l + width];
        return lanes[0];
    }
}

/// <summary>Seeded random test data.</summary>
internal static class TestData
{
    public static T[] Random<T>(Random random, int length, double zeroFraction = 0) where T : IFloatingPointIeee754<T>
    {
        var data = new T[length];
        for (int i = 0; i < length; i++)
            data[i] = random.NextDouble() < zeroFraction ? T.Zero : T.CreateChecked(random.NextDouble() * 2 - 1);
        return data;
    }

    /// <summary>Asserts |actual − expected| ≤ tolerance·(bound + 1e-30) element-wise, naming the first failure.</summary>
    public static void AssertClose<T>(ReadOnlySpan<T> actual, double[] expected, double[] bounds, double tolerance,
        string context)
        where T : IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(double.CreateChecked(actual[i]) - expected[i]);
            if (!(error <= tolerance * (bounds[i] + 1e-30)))
                Assert.Fail($"{context}: element {i} is {actual[i]}, expected {expected[i]} (error {error:E2}, "
                    + $"allowed {tolerance * bounds[i]:E2}).");
        }
    }

    /// <summary>The unit round-off of T: 2⁻²³ for float, 2⁻⁵² for double.</summary>
    public static double Epsilon<T>() where T : IFloatingPointIeee754<T>
        => double.CreateChecked(T.BitIncrement(T.One) - T.One);
}
