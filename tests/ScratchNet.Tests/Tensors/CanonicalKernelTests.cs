using System.Numerics;
using ScratchNet.Tensors;
using ScratchNet.Tensors.Internals;

namespace ScratchNet.Tests.Tensors;

/// <summary>
/// The vectorised canonical kernels against their naive twins, bit for bit: the register-blocked A·Bᵀ row dots
/// (<c>GemmDot</c>) against <see cref="CanonicalTwin"/>, and the span exp/tanh (four lanes at a time) against the
/// scalar functions element by element, including the inputs the vector code hands back to the scalar code.
/// </summary>
public class CanonicalKernelTests
{
    [Fact]
    public void Row_dot_gemm_has_the_twins_bits_for_every_k_1_to_40_and_ragged_n()
    {
        foreach (int m in new[] { 1, 3, 16 })
            foreach (int n in new[] { 1, 2, 3, 4, 5, 7, 9, 13 })
                for (int k = 1; k <= 40; k++) // k = 0 never reaches the row dots
                {
                    CheckRowDotGemm<float>(m, n, k, beta: 0, threads: 1);
                    CheckRowDotGemm<double>(m, n, k, beta: 0.5, threads: 1);
                }
    }

    [Theory]
    [InlineData(16, 200, 10)] // the MLP's dH = dZ2·W2ᵀ at batch 16
    [InlineData(48, 784, 200)] // large enough for two threads
    [InlineData(5, 11, 784)]
    [InlineData(7, 9, 203)] // AVX2's two-halves block (3 rows × 4) with partial blocks reaching both halves, ragged m and n
    [InlineData(4, 8, 197)] // float's partial block in the lower half only
    public void Row_dot_gemm_has_the_twins_bits_at_the_MLP_shapes_on_one_and_two_threads(int m, int n, int k)
    {
        foreach (int threads in new[] { 1, 2 })
        {
            CheckRowDotGemm<float>(m, n, k, beta: 0, threads);
            CheckRowDotGemm<double>(m, n, k, beta: -1.5, threads);
        }
    }

    private static void CheckRowDotGemm<T>(int m, int n, int k, double beta, int threads) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(m * 10_000 + n * 100 + k);
        T[] a = RowDotTests.Spread<T>(random, m * k), b = RowDotTests.Spread<T>(random, n * k);
        T[] c = TestData.Random<T>(random, m * n), expected = new T[m * n];
        T alpha = T.CreateChecked(0.75), betaT = T.CreateChecked(beta);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T dot = CanonicalTwin.Dot<T>(a.AsSpan(i * k, k), b.AsSpan(j * k, k));
                expected[i * n + j] = betaT == T.Zero ? alpha * dot : T.FusedMultiplyAdd(alpha, dot, betaT * c[i * n + j]);
            }
        T[] c0 = (T[])c.Clone();
        Gemm.Multiply(GemmLayout.TransposeB, m, n, k, alpha, a, b, betaT, c, threads);
        for (int e = 0; e < c.Length; e++)
            Assert.True(RowDotTests.Bits(expected[e]) == RowDotTests.Bits(c[e]),
                $"{typeof(T).Name} {m}×{n}×{k}, {threads} thread(s): element {e} is {c[e]}, the twin {expected[e]}");
        foreach (int bits in RowDotTests.Widths) // the lanes as one 512-bit, two 256-bit or four 128-bit vectors
        {
            c0.CopyTo(c, 0);
            Gemm.Multiply(GemmLayout.TransposeB, m, n, k, alpha, a, b, betaT, c, threads, bits);
            for (int e = 0; e < c.Length; e++)
                Assert.True(RowDotTests.Bits(expected[e]) == RowDotTests.Bits(c[e]),
                    $"{typeof(T).Name} {m}×{n}×{k}, {threads} thread(s), {bits} bits: element {e} is {c[e]}, the twin {expected[e]}");
        }
    }

    public static TheoryData<string> Functions => new() { "exp", "tanh" };

    [Theory]
    [MemberData(nameof(Functions))]
    public void Span_functions_have_the_scalar_bits_element_by_element(string function)
    {
        var random = new Random(function.Length);
        foreach (int length in new[] { 0, 1, 3, 4, 5, 7, 8, 9, 10, 17, 200, 4099 })
        {
            double[] x = new double[length];
            for (int i = 0; i < length; i++)
                x[i] = Input(random, i);
            float[] xf = x.Select(v => (float)v).ToArray();
            double[] y = new double[length];
            float[] yf = new float[length];
            Apply(function, x, y);
            Apply(function, xf, yf);
            for (int i = 0; i < length; i++)
            {
                double expected = function == "exp" ? Transcendentals.Exp(x[i]) : Transcendentals.Tanh(x[i]);
                float expectedF = function == "exp" ? Transcendentals.Exp(xf[i]) : Transcendentals.Tanh(xf[i]);
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(y[i]),
                    $"{function}({x[i]:R}) in a span of {length}: {y[i]:R}, scalar {expected:R}");
                Assert.True(BitConverter.SingleToInt32Bits(expectedF) == BitConverter.SingleToInt32Bits(yf[i]),
                    $"float {function}({xf[i]:R}) in a span of {length}: {yf[i]:R}, scalar {expectedF:R}");
            }
            Apply(function, x, x); // in place
            Assert.Equal(y.Select(BitConverter.DoubleToInt64Bits), x.Select(BitConverter.DoubleToInt64Bits));
        }
    }

    private static void Apply<T>(string function, T[] x, T[] y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (function == "exp")
            Transcendentals.Exp<T>(x, y);
        else
            Activations.Tanh<T>(x, y);
    }

    // the ranges training sees, both signs of zero, the edges where the vector code hands a lane to the scalar code
    // (overflow, underflow, subnormal results, NaN, infinities) and tanh's thresholds
    private static double Input(Random random, int i) => (i % 16) switch
    {
        0 => -745 + random.NextDouble() * 1455,
        1 => -0.0,
        2 => 0.0,
        3 => double.NaN,
        4 => random.Next(2) == 0 ? double.PositiveInfinity : double.NegativeInfinity,
        5 => -708.3 - random.NextDouble() * 40, // n at and below -1022: subnormal results, scalar path
        6 => 709.0 + random.NextDouble() * 1.5, // n = 1023 / 1024: the largest results and overflow
        7 => (random.NextDouble() - 0.5) * Math.Pow(2, -random.Next(20, 40)), // around tanh's x-itself threshold
        8 => random.Next(2) == 0 ? 22.0 : -21.999999999999996,
        9 => (random.NextDouble() - 0.5) * 0.7, // tanh's n = 0 (expm1 without scaling)
        10 => -104 + random.NextDouble() * 20, // float exp's underflow
        _ => -20 + random.NextDouble() * 40,
    };
}
