using System.Numerics;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Tensors;

public class GemvTests
{
    public static TheoryData<int, int> Shapes => new() { { 0, 0 }, { 0, 3 }, { 3, 0 }, { 1, 1 }, { 1, 9 }, { 7, 1 }, { 5, 17 }, { 33, 31 }, { 10, 200 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gemv_matches_the_naive_twin(int rows, int cols)
    {
        Check<float>(rows, cols);
        Check<double>(rows, cols);
    }

    private static void Check<T>(int rows, int cols) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(rows * 31 + cols);
        T[] a = TestData.Random<T>(random, rows * cols);
        foreach ((double alpha, double beta) in new[] { (1.0, 0.0), (0.5, 1.0), (-2.0, 0.25) })
        {
            T al = T.CreateChecked(alpha), be = T.CreateChecked(beta);
            T[] x = TestData.Random<T>(random, cols), y = TestData.Random<T>(random, rows);
            double[] expected = Reference.Gemv(false, a, rows, cols, x, al, be, y);
            Gemv.Multiply(a, rows, cols, x, al, be, y);
            TestData.AssertClose<T>(y, expected, Bounds(expected, cols), 4 * TestData.Epsilon<T>(), "A·x");
        }
    }

    /// <summary>Entries are in [−1, 1] and |α|, |β| ≤ 2, so each output is bounded by about 2·(inputs + 1).</summary>
    private static double[] Bounds(double[] expected, int inputs) => expected.Select(_ => 2.0 * (inputs + 1)).ToArray();

    [Fact]
    public void Beta_zero_overwrites_nan_in_y()
    {
        float[] y = [float.NaN, float.NaN];
        Gemv.Multiply([1f, 2f, 3f, 4f], 2, 2, [1f, 1f], 1f, 0f, y);
        Assert.Equal([3f, 7f], y);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Rank1_update_matches_the_naive_twin(int rows, int cols)
    {
        var random = new Random(rows + 7 * cols);
        double[] x = TestData.Random<double>(random, rows), y = TestData.Random<double>(random, cols);
        double[] a = TestData.Random<double>(random, rows * cols);
        double[] expected = Reference.Rank1Update(x, y, -0.3, a);
        Gemv.Rank1Update(x, y, -0.3, a);
        TestData.AssertClose<double>(a, expected, expected.Select(_ => 2.0).ToArray(), 4 * TestData.Epsilon<double>(), "rank-1");
    }

    [Fact]
    public void Lengths_and_overlap_are_validated()
    {
        float[] a = new float[6];
        Assert.Throws<ArgumentException>(() => Gemv.Multiply(a, 2, 3, new float[2], 1f, 0f, new float[2]));
        Assert.Throws<ArgumentException>(() => Gemv.Multiply(a, 2, 3, a.AsSpan(0, 3), 1f, 0f, a.AsSpan(3, 2)));
        Assert.Throws<ArgumentException>(() => Gemv.Rank1Update(new float[2], new float[2], 1f, a));
    }
}

public class NonZeroInputsTests
{
    [Theory]
    [InlineData(0, 5)]
    [InlineData(1, 1)]
    [InlineData(9, 13)]
    [InlineData(20, 64)]
    [InlineData(5, 71)]
    [InlineData(784, 200)]
    public void Forward_skips_zero_inputs_and_matches_the_dense_twin(int inputs, int hidden)
    {
        var random = new Random(inputs + hidden);
        float[] x = TestData.Random<float>(random, inputs, zeroFraction: 0.5);
        float[] w = TestData.Random<float>(random, inputs * hidden);
        float[] z = TestData.Random<float>(random, hidden);
        double[] expected = Reference.Gemv(true, w, inputs, hidden, x, 1f, 1f, z);
        // A row behind a zero input must never be read: NaN there would poison the dense product.
        for (int j = 0; j < inputs; j++)
            if (x[j] == 0)
                w.AsSpan(j * hidden, hidden).Fill(float.NaN);
        NonZeroInputs.AccumulateTransposed(x, w, z);
        TestData.AssertClose<float>(z, expected, expected.Select(_ => inputs + 1.0).ToArray(),
            4 * TestData.Epsilon<float>(), "non-zero-input Wᵀx");
    }

    [Fact]
    public void Byte_pixels_give_exactly_the_float_result()
    {
        var random = new Random(3);
        const int inputs = 784, hidden = 200;
        byte[] pixels = new byte[inputs];
        for (int j = 0; j < inputs; j++)
            pixels[j] = random.NextDouble() < 0.5 ? (byte)0 : (byte)random.Next(1, 256);
        const float scale = 1f / 256;
        float[] x = pixels.Select(p => p * scale).ToArray();
        float[] w = TestData.Random<float>(random, inputs * hidden);
        float[] bias = TestData.Random<float>(random, hidden), dz = TestData.Random<float>(random, hidden);

        float[] zFloat = (float[])bias.Clone(), zBytes = (float[])bias.Clone();
        NonZeroInputs.AccumulateTransposed(x, w, zFloat);
        NonZeroInputs.AccumulateTransposed(pixels, scale, w, zBytes);
        Assert.Equal(zFloat, zBytes);

        float[] wFloat = (float[])w.Clone(), wBytes = (float[])w.Clone();
        NonZeroInputs.Rank1Update(x, dz, -0.01f, wFloat);
        NonZeroInputs.Rank1Update(pixels, scale, dz, -0.01f, wBytes);
        Assert.Equal(wFloat, wBytes);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(17, 9)]
    [InlineData(20, 32)]
    [InlineData(6, 37)]
    [InlineData(784, 200)]
    public void Update_touches_only_rows_of_nonzero_inputs_and_matches_the_dense_twin(int inputs, int hidden)
    {
        var random = new Random(inputs * 3 + hidden);
        double[] x = TestData.Random<double>(random, inputs, zeroFraction: 0.5);
        double[] dz = TestData.Random<double>(random, hidden), w = TestData.Random<double>(random, inputs * hidden);
        for (int j = 0; j < inputs; j++)
            if (x[j] == 0)
                w.AsSpan(j * hidden, hidden).Fill(double.NaN);
        double[] expected = Reference.Rank1Update(x, dz, 0.1, w);
        NonZeroInputs.Rank1Update(x, dz, 0.1, w);
        for (int i = 0; i < w.Length; i++)
        {
            if (double.IsNaN(expected[i]))
                Assert.True(double.IsNaN(w[i]), $"row {i / hidden} of a zero input changed");
            else
                Assert.Equal(expected[i], w[i], 1e-14);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 8)]
    [InlineData(7, 13)]
    [InlineData(30, 37)]
    [InlineData(784, 200)]
    public void Row_blocked_kernels_equal_the_naive_fused_row_loop_bit_for_bit(int inputs, int hidden)
    {
        AssertBitIdentical<float>(inputs, hidden);
        AssertBitIdentical<double>(inputs, hidden);
    }

    // The naive twin: non-zero inputs in increasing j, one fused multiply-add per element. The fast kernels block four
    // rows at a time but keep this order per output element, so results (and the course's float64 numbers) are exact.
    private static void AssertBitIdentical<T>(int inputs, int hidden) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(inputs * 7 + hidden);
        T[] x = TestData.Random<T>(random, inputs, zeroFraction: 0.5);
        T[] w = TestData.Random<T>(random, inputs * hidden), z = TestData.Random<T>(random, hidden);
        T[] dz = TestData.Random<T>(random, hidden);
        T alpha = T.CreateChecked(-0.01);
        T[] zNaive = (T[])z.Clone(), wNaive = (T[])w.Clone();
        for (int j = 0; j < inputs; j++)
        {
            if (x[j] == T.Zero)
                continue;
            for (int c = 0; c < hidden; c++)
            {
                zNaive[c] = T.FusedMultiplyAdd(x[j], w[j * hidden + c], zNaive[c]);
                wNaive[j * hidden + c] = T.FusedMultiplyAdd(alpha * x[j], dz[c], wNaive[j * hidden + c]);
            }
        }
        NonZeroInputs.AccumulateTransposed<T>(x, w, z);
        NonZeroInputs.Rank1Update<T>(x, dz, alpha, w);
        Assert.Equal(zNaive, z);
        Assert.Equal(wNaive, w);
    }

    [Fact]
    public void Lengths_and_overlap_are_validated()
    {
        float[] w = new float[12];
        Assert.Throws<ArgumentException>(() => NonZeroInputs.AccumulateTransposed(new float[3], w, new float[5]));
        Assert.Throws<ArgumentException>(() => NonZeroInputs.AccumulateTransposed(new byte[4], 1f, w, new float[4]));
        Assert.Throws<ArgumentException>(() => NonZeroInputs.AccumulateTransposed(new float[3], w, w.AsSpan(0, 4)));
        Assert.Throws<ArgumentException>(() => NonZeroInputs.Rank1Update(new float[3], w.AsSpan(0, 4), 1f, w));
        Assert.Throws<ArgumentException>(() => NonZeroInputs.Rank1Update(new byte[2], 1f, new float[4], 1f, w));
    }
}
