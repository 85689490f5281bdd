using System.Numerics;
using ScratchNet.Tensors;
using ScratchNet.Tensors.Internals;

namespace ScratchNet.Tests.Tensors;

/// <summary>RowDot promises the canonical order's bits (docs/kernels.md); <see cref="CanonicalTwin"/> is its naive twin.</summary>
public class RowDotTests
{
    [Fact]
    public void Dot_and_sum_have_the_bits_of_the_canonical_twin_for_every_length_0_to_80()
    {
        CheckDot<float>();
        CheckDot<double>();
    }

    private static void CheckDot<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(7);
        for (int n = 0; n <= 80; n++)
        {
            for (int draw = 0; draw < 50; draw++)
            {
                T[] x = Spread<T>(random, n), y = Spread<T>(random, n);
                T dot = CanonicalTwin.Dot<T>(x, y), sum = CanonicalTwin.Sum<T>(x);
                Assert.True(Bits(dot) == Bits(RowDot.Dot<T>(x, y)),
                    $"{typeof(T).Name} length {n}, draw {draw}: {RowDot.Dot<T>(x, y)} vs the twin {dot}");
                Assert.True(Bits(sum) == Bits(CanonicalReduction.Sum<T>(x)), $"{typeof(T).Name} sum of length {n}, draw {draw}");
                // the lanes held as one 512-bit, two 256-bit and four 128-bit vectors
                T[] padded = new T[n + 16];
                x.CopyTo(padded, 0);
                foreach (int bits in Widths)
                {
                    Assert.True(Bits(dot) == Bits(CanonicalReduction.Dot(ref x.AsSpan().GetPinnableReference(), ref y.AsSpan().GetPinnableReference(), n, bits)),
                        $"{typeof(T).Name} length {n}, draw {draw}, {bits} bits: dot differs from the twin");
                    Assert.True(Bits(sum) == Bits(CanonicalReduction.Sum<T>(x, bits)), $"{typeof(T).Name} sum of length {n}, draw {draw}, {bits} bits");
                    Assert.True(Bits(sum) == Bits(CanonicalReduction.SumReadingPast(ref padded[0], n, bits)),
                        $"{typeof(T).Name} sum reading past, length {n}, draw {draw}, {bits} bits");
                }
            }
        }
    }

    /// <summary>The widths the canonical lanes can be held at (wider ones emulated where the hardware lacks them).</summary>
    internal static readonly int[] Widths = [512, 256, 128];

    [Fact]
    public void The_spread_inputs_tell_summation_orders_apart()
    {
        // if every order gave the same bits, the bit-identity test above would prove nothing
        var random = new Random(7);
        int differing = 0;
        for (int draw = 0; draw < 200; draw++)
        {
            float[] x = Spread<float>(random, 10), y = Spread<float>(random, 10);
            float leftToRight = 0;
            for (int i = 0; i < x.Length; i++)
                leftToRight += x[i] * y[i];
            differing += Bits(leftToRight) != Bits(RowDot.Dot<float>(x, y)) ? 1 : 0;
        }
        Assert.True(differing > 20, $"only {differing} of 200 length-10 dots differ from the left-to-right sum");
    }

    [Fact]
    public void A_sum_of_negative_zeros_keeps_the_twins_sign()
    {
        foreach (int n in new[] { 8, 10, 16, 20 })
        {
            float[] x = Enumerable.Repeat(-0f, n).ToArray(), y = Enumerable.Repeat(1f, n).ToArray();
            Assert.Equal(Bits(CanonicalTwin.Dot<float>(x, y)), Bits(RowDot.Dot<float>(x, y)));
            double[] xd = Enumerable.Repeat(-0d, n).ToArray(), yd = Enumerable.Repeat(1d, n).ToArray();
            Assert.Equal(Bits(CanonicalTwin.Dot<double>(xd, yd)), Bits(RowDot.Dot<double>(xd, yd)));
            foreach (int bits in Widths)
            {
                Assert.Equal(Bits(CanonicalTwin.Dot<float>(x, y)), Bits(CanonicalReduction.Dot(ref x[0], ref y[0], n, bits)));
                Assert.Equal(Bits(CanonicalTwin.Sum<float>(x)), Bits(CanonicalReduction.Sum<float>(x, bits)));
                Assert.Equal(Bits(CanonicalTwin.Dot<double>(xd, yd)), Bits(CanonicalReduction.Dot(ref xd[0], ref yd[0], n, bits)));
            }
        }
    }

    public static TheoryData<int, int> Shapes => new() { { 0, 10 }, { 1, 10 }, { 200, 10 }, { 37, 3 }, { 20, 8 }, { 15, 33 }, { 9, 200 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void WherePositive_matches_its_naive_twin_bit_for_bit(int rows, int n)
    {
        CheckWherePositive<float>(rows, n);
        CheckWherePositive<double>(rows, n);
    }

    private static void CheckWherePositive<T>(int rows, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(rows * 100 + n);
        T[] w = Spread<T>(random, rows * n), v = Spread<T>(random, n);
        T[] gate = TestData.Random<T>(random, rows, zeroFraction: 0.2);
        if (rows > 2)
            (gate[0], gate[1]) = (T.NaN, T.NegativeZero);
        T[] actual = Enumerable.Repeat(T.NaN, rows).ToArray(), expected = new T[rows];
        RowDot.WherePositive<T>(w, v, gate, actual);
        for (int j = 0; j < rows; j++) // the naive twin
            expected[j] = gate[j] > T.Zero ? CanonicalTwin.Dot<T>(w.AsSpan(j * n, n), v) : T.Zero;
        Assert.Equal(expected.Select(Bits), actual.Select(Bits));
        foreach (int bits in Widths)
        {
            Array.Fill(actual, T.NaN);
            RowDot.WherePositive<T>(w, v, gate, actual, bits);
            Assert.Equal(expected.Select(Bits), actual.Select(Bits));
        }
    }

    [Fact]
    public void WherePositive_may_write_over_its_gate()
    {
        var random = new Random(3);
        double[] w = Spread<double>(random, 50 * 10), v = Spread<double>(random, 10);
        double[] gate = TestData.Random<double>(random, 50, zeroFraction: 0.3), expected = new double[50];
        RowDot.WherePositive<double>(w, v, gate, expected);
        RowDot.WherePositive<double>(w, v, gate, gate);
        Assert.Equal(expected, gate);
    }

    [Fact]
    public void Mismatched_lengths_throw_naming_the_argument()
    {
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => RowDot.Dot<float>(new float[10], new float[9])).ParamName);
        var error = Assert.Throws<ArgumentException>(() => RowDot.WherePositive<float>(new float[19], new float[10], new float[2], new float[2]));
        Assert.Equal("w", error.ParamName);
        Assert.Contains("exactly 20", error.Message, StringComparison.Ordinal);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(
            () => RowDot.WherePositive<float>(new float[20], new float[10], new float[2], new float[3])).ParamName);
        float[] shared = new float[30];
        Assert.Throws<ArgumentException>(() => RowDot.WherePositive<float>(shared.AsSpan(0, 20), shared.AsSpan(20, 10), new float[2], shared.AsSpan(19, 2)));
    }

    // values over several binades with both signs, so that the order of the additions shows in the rounded sum
    internal static T[] Spread<T>(Random random, int length) where T : IFloatingPointIeee754<T>
        => Enumerable.Range(0, length)
            .Select(_ => T.CreateChecked((random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-12, 12)))).ToArray();

    internal static ulong Bits<T>(T value) where T : IFloatingPointIeee754<T>
        => typeof(T) == typeof(float) ? BitConverter.SingleToUInt32Bits(float.CreateChecked(value)) : BitConverter.DoubleToUInt64Bits(double.CreateChecked(value));
}
