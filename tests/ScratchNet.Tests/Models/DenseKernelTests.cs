using ScratchNet.Models;
using ScratchNet.Randomness;

namespace ScratchNet.Tests.Models;

/// <summary>The vectorised dense-layer kernels against their naive twins, every length 0..67 (tails included).</summary>
public class DenseKernelTests
{
    private static double[] Random(int length, uint seed)
    {
        var values = new double[length];
        new NumpyRandomState(seed).Normal(0, 1, values);
        return values;
    }

    private static void NaiveAddScaled(double[] x, double a, double[] y)
    {
        for (var i = 0; i < x.Length; i++)
            y[i] += a * x[i];
    }

    private static double NaiveDot(double[] x, double[] y)
    {
        var sum = 0.0;
        for (var i = 0; i < x.Length; i++)
            sum += x[i] * y[i];
        return sum;
    }

    [Fact]
    public void AddScaled_matches_the_naive_loop()
    {
        for (var n = 0; n < 68; n++)
        {
            var (x, y) = (Random(n, 1), Random(n, 2));
            var expected = (double[])y.Clone();
            NaiveAddScaled(x, 0.37, expected);
            DenseKernels.AddScaled<double>(x, 0.37, y);
            Assert.Equal(expected, y);
        }
    }

    [Fact]
    public void Dot_matches_the_naive_loop()
    {
        for (var n = 0; n < 68; n++)
        {
            var (x, y) = (Random(n, 3), Random(n, 4));
            Assert.Equal(NaiveDot(x, y), DenseKernels.Dot<double>(x, y), 1e-12);
            Assert.Equal((float)NaiveDot(x, y), DenseKernels.Dot<float>(x.Select(v => (float)v).ToArray(), y.Select(v => (float)v).ToArray()), 1e-4f);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(16)]
    [InlineData(200)]
    [InlineData(203)]
    public void AddScaledRows_matches_row_by_row_accumulation(int rowLength)
    {
        var weights = Random(9 * rowLength, 5);
        int[] rows = [0, 2, 3, 5, 6, 8, 1];
        double[] scales = [0.5, -1.25, 2, 0.125, -0.75, 1.5, 3];
        var expected = Random(rowLength, 6);
        var z = (double[])expected.Clone();
        foreach (var (row, scale) in rows.Zip(scales))
            NaiveAddScaled(weights[(row * rowLength)..((row + 1) * rowLength)], scale, expected);
        DenseKernels.AddScaledRows<double>(weights, rowLength, rows, scales, z);
        Assert.Equal(expected, z); // same additions in the same order per element: bit-identical
    }

    [Fact]
    public void Kernels_reject_mismatched_lengths()
    {
        var error = Assert.Throws<ArgumentException>(() => DenseKernels.AddScaled<double>(new double[3], 1, new double[4]));
        Assert.Contains("expected exactly 3", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => DenseKernels.Dot<double>(new double[3], new double[2]));
    }
}
