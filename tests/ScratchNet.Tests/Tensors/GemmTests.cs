using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using System.Runtime.Intrinsics;
using ScratchNet.Tensors;
using ScratchNet.Tensors.Internals;

namespace ScratchNet.Tests.Tensors;

public class GemmTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 0, 0, 0 }, { 0, 5, 3 }, { 4, 0, 3 }, { 3, 4, 0 }, { 1, 1, 1 }, { 1, 17, 1 }, { 17, 1, 3 }, { 2, 3, 5 },
        { 6, 16, 8 }, { 7, 17, 9 }, { 5, 15, 33 }, { 13, 31, 64 }, { 6, 32, 1 }, { 33, 65, 17 }, { 1, 200, 784 },
        // past the blocking: m > MC (168), k > KC (256), n > NC (4096), n not a multiple of the micro-tile;
        // m <= 96 reads B in place (Normal layout), m = 97 packs it; TransposeB uses row dot products up to m = 48.
        { 200, 37, 300 }, { 170, 70, 257 }, { 12, 4100, 3 }, { 20, 50, 600 }, { 96, 33, 5 }, { 97, 33, 5 }, { 48, 21, 11 }, { 49, 21, 11 },
        // k split evenly into blocks: 784 → 4 × 196 (the MLP's first layer, B packed), 513 → 3 × 171 (B in place)
        { 100, 40, 784 }, { 20, 24, 513 },
        // row-major A is read in place unless its rows are a multiple of 4 KB apart (then packed): k = 1024 packs in
        // both precisions, k = 512 reads float in place and packs double; m = 13 leaves a ragged bottom panel of 1 row
        { 13, 20, 1024 }, { 13, 20, 512 }, { 13, 20, 511 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_layout_matches_the_naive_twin_float(int m, int n, int k) => CheckAllLayouts<float>(m, n, k);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_layout_matches_the_naive_twin_double(int m, int n, int k) => CheckAllLayouts<double>(m, n, k);

    private static void CheckAllLayouts<T>(int m, int n, int k) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(m * 10007 + n * 101 + k);
        (double Alpha, double Beta)[] scalars = [(1, 0), (1, 1), (-0.5, 2), (0, 0.5), (2, 0)];
        foreach (GemmLayout layout in Enum.GetValues<GemmLayout>())
        {
            foreach ((double alpha, double beta) in scalars)
                CheckOne(random, layout, m, n, k, T.CreateChecked(alpha), T.CreateChecked(beta), maxThreads: 1);
        }
    }

    private static void CheckOne<T>(Random random, GemmLayout layout, int m, int n, int k, T alpha, T beta,
        int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] a = TestData.Random<T>(random, m * k), b = TestData.Random<T>(random, k * n);
        T[] c = TestData.Random<T>(random, m * n);
        (double[] expected, double[] bounds) = Reference.Gemm(layout, m, n, k, alpha, a, b, beta, c);
        Gemm.Multiply(layout, m, n, k, alpha, a, b, beta, c, maxThreads);
        TestData.AssertClose<T>(c, expected, bounds, 2 * (k + 2) * TestData.Epsilon<T>(),
            $"{typeof(T).Name} {layout} m={m} n={n} k={k} alpha={alpha} beta={beta}");
    }

    [Fact]
    public void Beta_zero_overwrites_nan_in_C()
    {
        float[] a = [1, 2, 3, 4], b = [1, 0, 0, 1];
        float[] c = [float.NaN, float.NaN, float.PositiveInfinity, float.NaN];
        Gemm.Multiply(GemmLayout.Normal, 2, 2, 2, 1f, a, b, 0f, c);
        Assert.Equal([1f, 2f, 3f, 4f], c);
    }

    [Fact]
    public void Inner_dimension_zero_scales_C_by_beta()
    {
        float[] c = [1, 2, 3];
        Gemm.Multiply(GemmLayout.Normal, 1, 3, 0, 1f, [], [], 3f, c);
        Assert.Equal([3f, 6f, 9f], c);
        Gemm.Multiply(GemmLayout.TransposeA, 3, 1, 0, 1f, [], [], 0f, c);
        Assert.Equal([0f, 0f, 0f], c);
    }

    [Theory]
    [InlineData(200, 180, 300)] // several row blocks: threads split rows.
    [InlineData(8, 1000, 600)] // one row block: threads split the column panels.
    [InlineData(170, 4200, 7)] // two column blocks (n > NC).
    [InlineData(400, 60, 200)] // equal row blocks of 102, 102, 102, 94 rows.
    [InlineData(60, 300, 250)] // row split while B is read in place.
    [InlineData(40, 700, 300)] // too few rows to split: column panels.
    [InlineData(120, 200, 784)] // k in four even blocks of 196; A read in place, so threads take column ranges.
    [InlineData(2000, 10, 210)] // column ranges with n under one panel per thread: the first range is empty.
    public void Two_threads_give_bit_identical_results_to_one(int m, int n, int k)
    {
        Assert.True((long)m * n * k >= 2 * Gemm.MinMultiplyAddsPerThread, "the shape must be large enough to thread");
        var random = new Random(7);
        foreach (GemmLayout layout in Enum.GetValues<GemmLayout>())
        {
            float[] a = TestData.Random<float>(random, m * k), b = TestData.Random<float>(random, k * n);
            float[] c0 = TestData.Random<float>(random, m * n);
            float[] one = (float[])c0.Clone(), two = (float[])c0.Clone();
            Gemm.Multiply(layout, m, n, k, 0.75f, a, b, 0.5f, one, maxThreads: 1);
            Gemm.Multiply(layout, m, n, k, 0.75f, a, b, 0.5f, two, maxThreads: 2);
            Assert.True(one.AsSpan().SequenceEqual(two), $"{layout}: 1 and 2 threads differ");
            (double[] expected, double[] bounds) = Reference.Gemm(layout, m, n, k, 0.75f, a, b, 0.5f, c0);
            TestData.AssertClose<float>(two, expected, bounds, 2 * (k + 2) * TestData.Epsilon<float>(), $"{layout} 2 threads");
        }
    }

    [Theory]
    [InlineData(200, 16, 2, 96)] // the MLP's hidden layer on 2 threads: 96 + 104 columns (6 and 6.5 panels)
    [InlineData(10, 16, 2, 0)]
    [InlineData(4100, 16, 2, 2048)]
    [InlineData(200, 8, 3, 64)]
    public void Column_ranges_are_whole_panels_balanced_to_half_a_panel(int n, int nr, int tasks, int secondStart)
    {
        Assert.Equal(secondStart, GemmDriver<float, Vector256<float>, Simd256<float>>.ColumnBound(n, nr, 1, tasks));
        var bounds = Enumerable.Range(0, tasks + 1).Select(t => GemmDriver<float, Vector256<float>, Simd256<float>>.ColumnBound(n, nr, t, tasks)).ToArray();
        Assert.Equal(0, bounds[0]);
        Assert.Equal(n, bounds[^1]);
        for (var t = 0; t < tasks; t++)
        {
            Assert.True(bounds[t] <= bounds[t + 1] && bounds[t] % nr == 0, $"range {t}: {bounds[t]}..{bounds[t + 1]}");
            Assert.True(Math.Abs(bounds[t + 1] - bounds[t] - (double)n / tasks) <= nr, $"range {t} is {bounds[t + 1] - bounds[t]} columns of {n}");
        }
    }

    [Theory]
    [InlineData(256, 200, 784)] // the MLP's forward X·W at batch 256
    [InlineData(13, 20, 300)] // ragged bottom panel
    [InlineData(100, 9, 257)] // right-edge half panel, two k blocks
    public void Row_major_A_read_in_place_gives_the_packed_A_results_bit_for_bit(int m, int n, int k)
    {
        // Normal reads A's rows in place; TransposeA on Aᵀ packs the same op(A): the same sums in the same order
        var random = new Random(m + n + k);
        float[] a = TestData.Random<float>(random, m * k), b = TestData.Random<float>(random, k * n);
        float[] c0 = TestData.Random<float>(random, m * n);
        var aTransposed = new float[k * m];
        for (var i = 0; i < m; i++)
            for (var p = 0; p < k; p++)
                aTransposed[p * m + i] = a[i * k + p];
        float[] inPlace = (float[])c0.Clone(), packed = (float[])c0.Clone();
        Gemm.Multiply(GemmLayout.Normal, m, n, k, 0.75f, a, b, 0.5f, inPlace);
        Gemm.Multiply(GemmLayout.TransposeA, m, n, k, 0.75f, aTransposed, b, 0.5f, packed);
        Assert.True(inPlace.AsSpan().SequenceEqual(packed), "A read in place and packed A differ");
        (double[] expected, double[] bounds) = Reference.Gemm(GemmLayout.Normal, m, n, k, 0.75f, a, b, 0.5f, c0);
        TestData.AssertClose<float>(inPlace, expected, bounds, 2 * (k + 2) * TestData.Epsilon<float>(), "A in place");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(256, 256)]
    [InlineData(257, 129)]
    [InlineData(784, 196)]
    [InlineData(785, 197)]
    public void K_is_split_into_the_fewest_blocks_of_at_most_256_as_evenly_as_possible(int k, int depth) =>
        Assert.Equal(depth, GemmDriver<float, Vector256<float>, Simd256<float>>.BlockDepth(k));

    [Fact]
    public void Block_depth_never_exceeds_256_nor_adds_a_block()
    {
        for (var k = 1; k <= 3000; k++)
        {
            var depth = GemmDriver<double, Vector256<double>, Simd256<double>>.BlockDepth(k);
            var blocks = (k + depth - 1) / depth;
            Assert.True(depth <= 256 && blocks == (k + 255) / 256, $"k={k}: depth {depth} gives {blocks} blocks");
            Assert.True(k - (blocks - 1) * depth > depth - blocks, $"k={k}: the last block ({k - (blocks - 1) * depth}) is uneven to depth {depth}");
        }
    }

    [Theory]
    [InlineData(GemmLayout.Normal, 16, 200, 784)] // B read in place
    [InlineData(GemmLayout.Normal, 256, 200, 784)] // B packed
    [InlineData(GemmLayout.TransposeA, 784, 200, 64)]
    [InlineData(GemmLayout.TransposeB, 16, 784, 200)] // row dot products
    [InlineData(GemmLayout.TransposeB, 256, 784, 200)]
    public void One_thread_allocates_nothing_per_call(GemmLayout layout, int m, int n, int k)
    {
        var random = new Random(3);
        float[] a = TestData.Random<float>(random, m * k), b = TestData.Random<float>(random, k * n), c = new float[m * n];
        Gemm.Multiply(layout, m, n, k, 1f, a, b, 0f, c); // rents the pooled pack buffers once
        // The shared ArrayPool may drop its buffers at any gen-2 collection (another test's), and the next call then
        // re-rents: that is rare, so the least of several single calls must be zero, while a per-call allocation
        // (a closure, a buffer) shows in every one of them.
        var perCall = new long[5];
        for (var call = 0; call < perCall.Length; call++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            Gemm.Multiply(layout, m, n, k, 1f, a, b, 1f, c);
            perCall[call] = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.True(perCall.Min() == 0, $"bytes allocated per call: {string.Join(", ", perCall)}");
    }

    [Fact]
    public void Random_shapes_match_the_naive_twin() =>
        Prop.ForAll(
            Gen.Choose(0, 40).Three().ToArbitrary(),
            Gen.Elements(Enum.GetValues<GemmLayout>()).ToArbitrary(),
            ((int M, int N, int K) shape, GemmLayout layout) =>
                CheckOne(new Random(shape.M * 1600 + shape.N * 40 + shape.K), layout, shape.M, shape.N, shape.K,
                    1.5f, -0.5f, maxThreads: 2))
        .QuickCheckThrowOnFailure();

    [Fact]
    public void Bad_lengths_overlap_and_threads_are_rejected_with_the_expected_size()
    {
        float[] a = new float[6], b = new float[12], c = new float[8];
        var error = Assert.Throws<ArgumentException>(
            () => Gemm.Multiply(GemmLayout.Normal, 2, 4, 3, 1f, a.AsSpan(1), b, 0f, c));
        Assert.Contains("exactly 6", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(GemmLayout.Normal, 2, 4, 3, 1f, a, b, 0f, c.AsSpan(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(GemmLayout.Normal, -1, 4, 3, 1f, a, b, 0f, c));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(GemmLayout.Normal, 2, 4, 3, 1f, a, b, 0f, c, 0));
        float[] shared = new float[12];
        Assert.Throws<ArgumentException>(
            () => Gemm.Multiply(GemmLayout.Normal, 2, 2, 2, 1f, shared.AsSpan(0, 4), shared.AsSpan(4, 4), 0f,
                shared.AsSpan(2, 4)));
    }
}

/// <summary>The GEMM code is written once over the vector width; the widths this machine does not accelerate still
/// run (emulated), so every width's instantiation is checked here, whatever the hardware.</summary>
public class GemmVectorWidthTests
{
    [Theory]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    public void Every_vector_width_matches_the_naive_twin(int vectorBits)
    {
        var random = new Random(vectorBits);
        foreach ((int m, int n, int k) in new[] { (1, 1, 1), (7, 33, 19), (13, 70, 260), (100, 9, 5) })
        {
            foreach (GemmLayout layout in Enum.GetValues<GemmLayout>())
            {
                float[] a = TestData.Random<float>(random, m * k), b = TestData.Random<float>(random, k * n);
                float[] c = TestData.Random<float>(random, m * n);
                double[] a64 = a.Select(v => (double)v).ToArray(), b64 = b.Select(v => (double)v).ToArray();
                double[] c64 = c.Select(v => (double)v).ToArray();
                (double[] expected, double[] bounds) = Reference.Gemm(layout, m, n, k, 0.5f, a, b, 2f, c);
                Gemm.Multiply(layout, m, n, k, 0.5f, a, b, 2f, c, maxThreads: 1, vectorBits);
                Gemm.Multiply(layout, m, n, k, 0.5, a64, b64, 2.0, c64, maxThreads: 1, vectorBits);
                string context = $"{vectorBits}-bit {layout} {m}×{n}×{k}";
                TestData.AssertClose<float>(c, expected, bounds, 2 * (k + 2) * TestData.Epsilon<float>(), context);
                TestData.AssertClose<double>(c64, expected, bounds, 2 * (k + 2) * TestData.Epsilon<float>(), context);
            }
        }
    }
}
