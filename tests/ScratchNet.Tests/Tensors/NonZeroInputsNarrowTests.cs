using System.Numerics;
using System.Runtime.Intrinsics;
using ScratchNet.Tensors;
using ScratchNet.Tensors.Internals;

namespace ScratchNet.Tests.Tensors;

/// <summary>
/// The layer-2-sized non-zero-input kernels (rows narrower than three vectors, <see cref="NarrowRows{T, TVec, TSimd}"/>),
/// the non-zero compaction in front of them, and <see cref="NonZeroInputs.GatherNonZero"/>, against their naive twins:
/// rows of the non-zero inputs in increasing order, one fused multiply-add per element. Bit for bit.
/// </summary>
public class NonZeroInputsNarrowTests
{
    public static TheoryData<int> Widths => new() { 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 16, 18, 19, 23, 24, 25, 31, 33, 40 };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Forward_and_update_equal_the_naive_loops_bit_for_bit(int hidden)
    {
        foreach (int inputs in new[] { 1, 7, 40, 200 })
        {
            Check<float>(inputs, hidden);
            Check<double>(inputs, hidden);
        }
    }

    private static void Check<T>(int inputs, int hidden) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(inputs * 97 + hidden);
        T[] x = TestData.Random<T>(random, inputs, zeroFraction: 0.5);
        for (int j = 0; j < inputs; j += 5)
            x[j] = x[j] == T.Zero ? T.NegativeZero : x[j]; // −0 is a zero input too
        T[] w = TestData.Random<T>(random, inputs * hidden), z = TestData.Random<T>(random, hidden), dz = TestData.Random<T>(random, hidden);
        for (int j = 0; j < inputs; j++) // a row behind a zero input is never read: NaN there would show
            if (x[j] == T.Zero)
                w.AsSpan(j * hidden, hidden).Fill(T.NaN);
        T alpha = T.CreateChecked(-0.37);

        T[] zNaive = (T[])z.Clone(), wNaive = (T[])w.Clone();
        for (int j = 0; j < inputs; j++)
        {
            if (x[j] == T.Zero)
                continue;
            for (int c = 0; c < hidden; c++)
            {
                zNaive[c] = T.FusedMultiplyAdd(T.One * x[j], w[j * hidden + c], zNaive[c]);
                wNaive[j * hidden + c] = T.FusedMultiplyAdd(alpha * x[j], dz[c], wNaive[j * hidden + c]);
            }
        }
        NonZeroInputs.AccumulateTransposed<T>(x, w, z);
        NonZeroInputs.Rank1Update<T>(x, dz, alpha, w);
        Assert.Equal(zNaive, z);
        Assert.Equal(wNaive, w);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Narrow_rows_at_every_vector_width_equal_the_naive_loops(int hidden)
    {
        CheckWidths<float>(hidden);
        CheckWidths<double>(hidden);
    }

    private static unsafe void CheckWidths<T>(int hidden) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(hidden);
        const int inputs = 60;
        int[] rows = Enumerable.Range(0, inputs).Where(_ => random.NextDouble() < 0.6).ToArray();
        T[] coefficients = TestData.Random<T>(random, rows.Length);
        T[] w = TestData.Random<T>(random, inputs * hidden), dz = TestData.Random<T>(random, hidden), z = TestData.Random<T>(random, hidden);
        T[] zNaive = (T[])z.Clone(), wNaive = (T[])w.Clone();
        for (int k = 0; k < rows.Length; k++)
        {
            for (int c = 0; c < hidden; c++)
            {
                zNaive[c] = T.FusedMultiplyAdd(coefficients[k], w[rows[k] * hidden + c], zNaive[c]);
                wNaive[rows[k] * hidden + c] = T.FusedMultiplyAdd(coefficients[k], dz[c], wNaive[rows[k] * hidden + c]);
            }
        }
        foreach (int bits in new[] { 128, 256, 512 })
        {
            T[] zWidth = (T[])z.Clone(), wWidth = (T[])w.Clone();
            fixed (T* pw = wWidth)
            fixed (T* pz = zWidth)
            fixed (T* pd = dz)
            {
                if (bits == 128)
                    Run<T, Vector128<T>, Simd128<T>>(rows, coefficients, pw, pd, pz, hidden);
                else if (bits == 256)
                    Run<T, Vector256<T>, Simd256<T>>(rows, coefficients, pw, pd, pz, hidden);
                else
                    Run<T, Vector512<T>, Simd512<T>>(rows, coefficients, pw, pd, pz, hidden);
            }
            Assert.Equal(zNaive, zWidth);
            Assert.Equal(wNaive, wWidth);
        }
    }

    // forward on the weights as they were, then the update; NonZeroRows where the rows are too wide for NarrowRows
    private static unsafe void Run<T, TVec, TSimd>(int[] rows, T[] coefficients, T* w, T* dz, T* z, int hidden)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TSimd : ISimd<T, TVec>
    {
        if (NarrowRows<T, TVec, TSimd>.Fits(hidden))
        {
            NarrowRows<T, TVec, TSimd>.Accumulate(rows, coefficients, w, hidden, z);
            NarrowRows<T, TVec, TSimd>.Update(rows, coefficients, dz, hidden, w);
        }
        else
        {
            NonZeroRows<T, TVec, TSimd>.Accumulate(rows, coefficients, w, hidden, z);
            NonZeroRows<T, TVec, TSimd>.Update(rows, coefficients, dz, hidden, w);
        }
    }

    [Fact]
    public void Gather_equals_its_naive_twin_for_every_length_up_to_100_and_a_whole_image()
    {
        var random = new Random(11);
        foreach (int length in Enumerable.Range(0, 101).Append(784))
        {
            byte[] pixels = Strokes(random, length);
            CheckGather(pixels, 1f / 256);
            CheckGather(pixels, 1.0 / 256);
            CheckGather(pixels, 0.3f);
        }
    }

    private static void CheckGather<T>(byte[] pixels, T scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rows = new List<int>();
        var values = new List<T>();
        for (int j = 0; j < pixels.Length; j++) // the naive twin
        {
            if (pixels[j] != 0)
            {
                rows.Add(j);
                values.Add(T.CreateTruncating(pixels[j]) * scale);
            }
        }
        int[] gatheredRows = new int[pixels.Length];
        T[] gatheredValues = new T[pixels.Length];
        int count = NonZeroInputs.GatherNonZero(pixels, scale, gatheredRows, gatheredValues);
        Assert.Equal(rows.Count, count);
        Assert.Equal(rows, gatheredRows[..count]);
        Assert.Equal(values, gatheredValues[..count]);
    }

    // runs of ink and of background, as in an image, plus isolated pixels
    private static byte[] Strokes(Random random, int length)
    {
        var pixels = new byte[length];
        bool ink = random.NextDouble() < 0.5;
        for (int j = 0; j < length; j++)
        {
            if (random.NextDouble() < 0.15)
                ink = !ink;
            pixels[j] = ink ? (byte)random.Next(1, 256) : (byte)0;
        }
        return pixels;
    }
}
