using System.Numerics;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Tensors;

/// <summary>
/// The compressed-rows kernels against their naive twins: <see cref="NaiveMultiplyAdd{T}"/> (the same fused
/// multiply-adds in entry order, so the fast kernel must match it bit for bit) and the double-precision dense GEMM
/// twin on the densified matrix; the builders against the pixels they read.
/// </summary>
public class CompressedRowsTests
{
    /// <summary>C[i, :] += Σ_p values[p]·B[columns[p], :], entry by entry, element by element.</summary>
    internal static T[] NaiveMultiplyAdd<T>(int[] starts, int[] columns, T[] values, T[] b, int n, T[] c)
        where T : IFloatingPointIeee754<T>
    {
        var result = (T[])c.Clone();
        for (int i = 0; i + 1 < starts.Length; i++)
            for (int p = starts[i]; p < starts[i + 1]; p++)
                for (int j = 0; j < n; j++)
                    result[i * n + j] = T.FusedMultiplyAdd(values[p], b[columns[p] * n + j], result[i * n + j]);
        return result;
    }

    public static TheoryData<int, int, int> Shapes => new()
    {
        { 0, 5, 3 }, { 1, 1, 1 }, { 3, 4, 7 }, { 5, 9, 8 }, { 4, 13, 9 }, { 7, 20, 33 }, { 2, 31, 64 }, { 6, 17, 65 },
        { 16, 784, 200 }, { 9, 40, 257 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_add_matches_the_naive_twin_bit_for_bit_in_float32(int m, int k, int n) => MatchesTwins<float>(m, k, n);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_add_matches_the_naive_twin_bit_for_bit_in_float64(int m, int k, int n) => MatchesTwins<double>(m, k, n);

    private static void MatchesTwins<T>(int m, int k, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(m * 1000 + k * 10 + n);
        var dense = TestData.Random<T>(random, m * k, zeroFraction: 0.5);
        var (starts, columns, values) = Compress(dense, m, k);
        var b = TestData.Random<T>(random, k * n);
        var c = TestData.Random<T>(random, m * n);
        var naive = NaiveMultiplyAdd(starts, columns, values, b, n, c);
        var (expected, bounds) = Reference.Gemm(GemmLayout.Normal, m, n, k, T.One, dense, b, T.One, c);
        // a row of B that only zeros of S meet is never read: NaN there would poison the product
        for (int p = 0; p < k; p++)
            if (!columns.Contains(p))
                b.AsSpan(p * n, n).Fill(T.NaN);
        CompressedRows.MultiplyAdd<T>(starts, columns, values, b, n, c);
        Assert.Equal(naive, c);
        TestData.AssertClose<T>(c, expected, bounds, 2 * (k + 1) * TestData.Epsilon<T>(), "S·B + C");
    }

    [Fact]
    public void Two_threads_give_the_one_thread_result_bit_for_bit()
    {
        var random = new Random(11);
        const int m = 64, k = 784, n = 200;
        var (starts, columns, values) = Compress(TestData.Random<float>(random, m * k, zeroFraction: 0.5), m, k);
        Assert.True((long)columns.Length * n >= 2 * CompressedRows.MinMultiplyAddsPerThread, "the problem must be big enough for two threads");
        var b = TestData.Random<float>(random, k * n);
        var one = TestData.Random<float>(random, m * n);
        var two = (float[])one.Clone();
        CompressedRows.MultiplyAdd<float>(starts, columns, values, b, n, one, maxThreads: 1);
        CompressedRows.MultiplyAdd<float>(starts, columns, values, b, n, two, maxThreads: 2);
        Assert.Equal(one, two);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(17, 784)]
    [InlineData(4, 95)]
    public void Pixels_compress_to_their_scaled_non_zeros_and_to_the_transpose(int rows, int features)
    {
        var random = new Random(rows + features);
        var pixels = new byte[rows * features];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = random.NextDouble() < 0.5 ? (byte)0 : (byte)random.Next(1, 256);
        const double scale = 1.0 / 256;
        int[] starts = new int[rows + 1], columns = new int[pixels.Length];
        double[] values = new double[pixels.Length];
        int entries = CompressedRows.FromPixels(pixels, features, scale, starts, columns, values);
        int[] tStarts = new int[features + 1], tColumns = new int[pixels.Length];
        double[] tValues = new double[pixels.Length];
        int tEntries = CompressedRows.FromPixelsTransposed(pixels, features, scale, tStarts, tColumns, tValues);
        // buffers of exactly the non-zero count are enough (zero pixels are never written past the end)
        int[] tightStarts = new int[features + 1], tightColumns = new int[tEntries];
        double[] tightValues = new double[tEntries];
        Assert.Equal(tEntries, CompressedRows.FromPixelsTransposed(pixels, features, scale, tightStarts, tightColumns, tightValues));
        Assert.Equal(tStarts, tightStarts);
        Assert.Equal(tColumns[..tEntries], tightColumns);
        Assert.Equal(tValues[..tEntries], tightValues);

        Assert.Equal(pixels.Count(p => p != 0), entries);
        Assert.Equal(entries, tEntries);
        Assert.Equal(pixels.Select(p => p * scale).ToArray(), Densify(starts, columns, values, rows, features));
        var transposed = Densify(tStarts, tColumns, tValues, features, rows);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < features; j++)
                Assert.Equal(pixels[i * features + j] * scale, transposed[j * rows + i]);
        for (int j = 0; j < features; j++) // each transposed row lists its examples in increasing order
        {
            var examples = tColumns[tStarts[j]..tStarts[j + 1]];
            Assert.Equal(examples.Order().ToArray(), examples);
        }
    }

    [Fact]
    public void Malformed_matrices_and_lengths_are_rejected_with_the_broken_rule()
    {
        float[] b = new float[6], c = new float[4];
        int[] columns = [0, 2];
        float[] values = [1f, 2f];
        Assert.Contains("starts[0] must be 0", Throws(() => CompressedRows.MultiplyAdd<float>([1, 1, 2], columns, values, b, 2, c)));
        Assert.Contains("must not decrease", Throws(() => CompressedRows.MultiplyAdd<float>([0, 2, 1], columns, values, b, 2, c)));
        Assert.Contains("columns[1] = 3 is outside [0, 3)", Throws(() => CompressedRows.MultiplyAdd<float>([0, 1, 2], [0, 3], values, b, 2, c)));
        Assert.Contains("entries", Throws(() => CompressedRows.MultiplyAdd<float>([0, 1, 3], columns, values, b, 2, c)));
        Assert.Contains("length 6", Throws(() => CompressedRows.MultiplyAdd<float>([0, 1, 2], columns, values, b, 2, new float[6])));
        Assert.Contains("overlaps", Throws(() => CompressedRows.MultiplyAdd<float>([0, 1, 2], columns, values, b, 2, b.AsSpan(0, 4))));
        Assert.Contains("fewer than the non-zero pixels", Throws(() => CompressedRows.FromPixels<float>([1, 2, 3], 3, 1f, new int[2], new int[2], new float[2])));
        var bright = Enumerable.Repeat((byte)9, 64).ToArray(); // the 32-pixel vector path checks capacity too
        Assert.Contains("fewer than the non-zero pixels", Throws(() => CompressedRows.FromPixels<float>(bright, 64, 1f, new int[2], new int[40], new float[40])));
        Assert.Contains("fewer than the non-zero pixels", Throws(() => CompressedRows.FromPixelsTransposed<float>([1, 2, 3], 3, 1f, new int[4], new int[2], new float[2])));
    }

    private static string Throws(Action action) => Assert.Throws<ArgumentException>(action).Message;

    private static (int[] Starts, int[] Columns, T[] Values) Compress<T>(T[] dense, int m, int k) where T : IFloatingPointIeee754<T>
    {
        var starts = new int[m + 1];
        var columns = new List<int>();
        var values = new List<T>();
        for (int i = 0; i < m; i++)
        {
            for (int p = 0; p < k; p++)
            {
                if (dense[i * k + p] == T.Zero)
                    continue;
                columns.Add(p);
                values.Add(dense[i * k + p]);
            }
            starts[i + 1] = columns.Count;
        }
        return (starts, columns.ToArray(), values.ToArray());
    }

    private static double[] Densify(int[] starts, int[] columns, double[] values, int rows, int cols)
    {
        var dense = new double[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int p = starts[i]; p < starts[i + 1]; p++)
                dense[i * cols + columns[p]] = values[p];
        return dense;
    }
}
