using System.Numerics;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Tensors;

/// <summary>
/// The fused first-layer kernel against its naive twin: every update row in increasing order, one fused multiply-add
/// per element, then every accumulated row in increasing order. Bit for bit, at every vector width, float and double.
/// </summary>
public class NonZeroInputsGatheredTests
{
    public enum RowSets { BothEmpty, NoUpdate, NoAccumulate, Identical, Disjoint, Overlapping, Interleaved }

    public static TheoryData<int, int, RowSets> Shapes()
    {
        var data = new TheoryData<int, int, RowSets>();
        foreach (var sets in Enum.GetValues<RowSets>())
        {
            foreach (var (inputs, hidden) in new[] { (1, 1), (9, 3), (17, 8), (30, 13), (64, 37), (784, 200) })
                data.Add(inputs, hidden, sets);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Update_then_accumulate_equals_the_naive_two_pass_loop_bit_for_bit(int inputs, int hidden, RowSets sets)
    {
        foreach (var vectorBits in new[] { 128, 256, 512 })
        {
            AssertFusedEqualsNaive<float>(inputs, hidden, sets, vectorBits);
            AssertFusedEqualsNaive<double>(inputs, hidden, sets, vectorBits);
        }
    }

    private static void AssertFusedEqualsNaive<T>(int inputs, int hidden, RowSets sets, int vectorBits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(inputs * 31 + hidden * 7 + (int)sets);
        var (updateRows, accumulateRows) = RowLists(random, inputs, sets);
        T[] updateCoefficients = TestData.Random<T>(random, updateRows.Length);
        T[] accumulateCoefficients = TestData.Random<T>(random, accumulateRows.Length);
        T[] dz = TestData.Random<T>(random, hidden), z = TestData.Random<T>(random, hidden);
        T[] w = TestData.Random<T>(random, inputs * hidden);
        // rows in neither list must never be read or written: NaN there would show up in z or stay NaN
        for (int j = 0; j < inputs; j++)
            if (!updateRows.Contains(j) && !accumulateRows.Contains(j))
                w.AsSpan(j * hidden, hidden).Fill(T.NaN);

        T[] wNaive = (T[])w.Clone(), zNaive = (T[])z.Clone();
        for (int k = 0; k < updateRows.Length; k++)
            for (int c = 0; c < hidden; c++)
                wNaive[updateRows[k] * hidden + c] = T.FusedMultiplyAdd(updateCoefficients[k], dz[c], wNaive[updateRows[k] * hidden + c]);
        for (int k = 0; k < accumulateRows.Length; k++)
            for (int c = 0; c < hidden; c++)
                zNaive[c] = T.FusedMultiplyAdd(accumulateCoefficients[k], wNaive[accumulateRows[k] * hidden + c], zNaive[c]);

        NonZeroInputs.UpdateThenAccumulateAtWidth<T>(updateRows, updateCoefficients, dz, accumulateRows, accumulateCoefficients, w, z, vectorBits);
        Assert.Equal(zNaive, z);
        Assert.Equal(wNaive, w);
    }

    // strictly increasing row lists with the overlap the case names
    private static (int[] Update, int[] Accumulate) RowLists(Random random, int inputs, RowSets sets)
    {
        int[] Pick(double fraction) => Enumerable.Range(0, inputs).Where(_ => random.NextDouble() < fraction).ToArray();
        var all = Enumerable.Range(0, inputs).ToArray();
        return sets switch
        {
            RowSets.BothEmpty => ([], []),
            RowSets.NoUpdate => ([], Pick(0.6)),
            RowSets.NoAccumulate => (Pick(0.6), []),
            RowSets.Identical => (all, all),
            RowSets.Disjoint => (all.Where(j => j < inputs / 2).ToArray(), all.Where(j => j >= inputs / 2).ToArray()),
            RowSets.Interleaved => (all.Where(j => j % 2 == 0).ToArray(), all.Where(j => j % 2 == 1).ToArray()),
            _ => (Pick(0.5), Pick(0.5)),
        };
    }

    public enum Waiting { None, All, SameSlot, MixedSlots, SomeRows }

    public static TheoryData<int, int, Waiting> DeferredShapes()
    {
        var data = new TheoryData<int, int, Waiting>();
        foreach (var waiting in Enum.GetValues<Waiting>())
        {
            foreach (var (inputs, hidden) in new[] { (1, 1), (9, 3), (17, 8), (30, 13), (64, 37), (784, 200) })
                data.Add(inputs, hidden, waiting);
        }
        return data;
    }

    // The deferred-rows sweep against the naive loop: per listed row in increasing order, its waiting update (one fused
    // multiply-add per element with its own ring row), then its multiply-add into z; the listed rows end with nothing
    // waiting, every other row and slot is left alone.
    [Theory]
    [MemberData(nameof(DeferredShapes))]
    public void Apply_deferred_then_accumulate_equals_the_naive_loop_bit_for_bit(int inputs, int hidden, Waiting waiting)
    {
        foreach (var vectorBits in new[] { 128, 256, 512 })
        {
            AssertDeferredEqualsNaive<float>(inputs, hidden, waiting, vectorBits);
            AssertDeferredEqualsNaive<double>(inputs, hidden, waiting, vectorBits);
        }
    }

    private static void AssertDeferredEqualsNaive<T>(int inputs, int hidden, Waiting waiting, int vectorBits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int ringRows = 5;
        var random = new Random(inputs * 31 + hidden * 7 + (int)waiting);
        int[] rows = Enumerable.Range(0, inputs).Where(_ => random.NextDouble() < 0.7).ToArray();
        int[] slots = Enumerable.Range(0, inputs).Select(j => waiting switch
        {
            Waiting.None => -1,
            Waiting.SameSlot => 3,
            Waiting.All => random.Next(ringRows),
            Waiting.MixedSlots => j % 9 == 0 ? random.Next(ringRows) : 2, // blocks of four mostly on one slot, some not
            _ => random.NextDouble() < 0.5 ? -1 : random.Next(ringRows),
        }).ToArray();
        T[] deferred = TestData.Random<T>(random, inputs), accumulate = TestData.Random<T>(random, rows.Length);
        T[] ring = TestData.Random<T>(random, ringRows * hidden), z = TestData.Random<T>(random, hidden);
        T[] w = TestData.Random<T>(random, inputs * hidden);
        // rows not listed must never be read or written: NaN there would show up in z or stay NaN
        for (int j = 0; j < inputs; j++)
            if (!rows.Contains(j))
                w.AsSpan(j * hidden, hidden).Fill(T.NaN);

        T[] wNaive = (T[])w.Clone(), zNaive = (T[])z.Clone();
        int[] slotsNaive = (int[])slots.Clone();
        for (int k = 0; k < rows.Length; k++)
        {
            int j = rows[k];
            if (slotsNaive[j] >= 0)
                for (int c = 0; c < hidden; c++)
                    wNaive[j * hidden + c] = T.FusedMultiplyAdd(deferred[j], ring[slotsNaive[j] * hidden + c], wNaive[j * hidden + c]);
            slotsNaive[j] = -1;
            for (int c = 0; c < hidden; c++)
                zNaive[c] = T.FusedMultiplyAdd(accumulate[k], wNaive[j * hidden + c], zNaive[c]);
        }

        NonZeroInputs.ApplyDeferredThenAccumulate<T>(rows, accumulate, slots, deferred, ring, w, z, vectorBits);
        Assert.Equal(zNaive, z);
        Assert.Equal(wNaive, w);
        Assert.Equal(slotsNaive, slots);
    }

    [Fact]
    public void Apply_deferred_then_accumulate_rejects_a_slot_outside_the_ring()
    {
        float[] w = new float[4 * 3], z = new float[3], ring = new float[2 * 3];
        int[] slots = [-1, 2, -1, -1];
        Assert.Throws<ArgumentException>(() =>
            NonZeroInputs.ApplyDeferredThenAccumulate<float>([0, 1], new float[2], slots, new float[4], ring, w, z, 256));
        Assert.Throws<ArgumentException>(() =>
            NonZeroInputs.ApplyDeferredThenAccumulate<float>([1, 0], new float[2], [-1, -1, -1, -1], new float[4], ring, w, z, 256));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(13, 5)]
    [InlineData(784, 200)]
    public void Rank1_update_of_listed_rows_equals_the_pixel_update(int inputs, int hidden)
    {
        var random = new Random(inputs + hidden);
        byte[] pixels = Pixels(random, inputs);
        const double scale = 1.0 / 256, alpha = -0.001;
        double[] dz = TestData.Random<double>(random, hidden), w = TestData.Random<double>(random, inputs * hidden);
        double[] expected = (double[])w.Clone();
        NonZeroInputs.Rank1Update(pixels, scale, dz, alpha, expected);

        var rows = new int[inputs];
        var values = new double[inputs];
        int count = NonZeroInputs.GatherNonZero(pixels, scale, rows, values);
        double[] coefficients = values[..count].Select(x => alpha * x).ToArray();
        NonZeroInputs.Rank1UpdateRows<double>(rows.AsSpan(0, count), coefficients, dz, w);
        Assert.Equal(expected, w);
    }

    [Fact]
    public void Gather_lists_the_nonzero_pixels_in_increasing_order_scaled()
    {
        byte[] pixels = [0, 7, 0, 0, 255, 1, 0];
        var rows = new int[pixels.Length];
        var values = new float[pixels.Length];
        int count = NonZeroInputs.GatherNonZero(pixels, 0.5f, rows, values);
        Assert.Equal(3, count);
        Assert.Equal([1, 4, 5], rows[..count]);
        Assert.Equal([3.5f, 127.5f, 0.5f], values[..count]);
        Assert.Equal(0, NonZeroInputs.GatherNonZero(new byte[5], 1f, rows, values));
    }

    [Theory]
    [InlineData(784, 0.5)]  // an image: 24 blocks of 32 and a tail of 16
    [InlineData(784, 0.0)]  // all zero
    [InlineData(784, 1.0)]  // no zero
    [InlineData(63, 0.3)]
    [InlineData(32, 0.5)]
    [InlineData(1, 1.0)]
    public void Gather_equals_a_plain_loop_over_every_pixel(int length, double nonZeroShare)
    {
        var random = new Random(length);
        var pixels = Enumerable.Range(0, length).Select(_ => random.NextDouble() < nonZeroShare ? (byte)random.Next(1, 256) : (byte)0).ToArray();
        pixels[^1] = nonZeroShare > 0 ? (byte)9 : (byte)0; // the last pixel, in the tail or the last block
        var expected = Enumerable.Range(0, length).Where(j => pixels[j] != 0).ToArray();
        foreach (var scale in new[] { 1.0 / 256, 0.1 })
        {
            var (rows, floats, doubles) = (new int[length], new float[length], new double[length]);
            Assert.Equal(expected.Length, NonZeroInputs.GatherNonZero(pixels, (float)scale, rows, floats));
            Assert.Equal(expected, rows[..expected.Length]);
            Assert.Equal(expected.Select(j => pixels[j] * (float)scale), floats[..expected.Length]);
            Assert.Equal(expected.Length, NonZeroInputs.GatherNonZero(pixels, scale, rows, doubles));
            Assert.Equal(expected, rows[..expected.Length]);
            Assert.Equal(expected.Select(j => pixels[j] * scale), doubles[..expected.Length]);
        }
    }

    [Fact]
    public void Rows_lengths_and_overlap_are_validated()
    {
        float[] w = new float[12], dz = new float[4], z = new float[4];
        Assert.Throws<ArgumentException>(() => NonZeroInputs.GatherNonZero(new byte[5], 1f, new int[4], new float[5]));
        Assert.Throws<ArgumentException>(() => NonZeroInputs.GatherNonZero(new byte[5], 1f, new int[5], new float[4]));
        // W is 3 × 4: rows must increase strictly and lie in [0, 3)
        Assert.Throws<ArgumentException>(() => NonZeroInputs.UpdateThenAccumulate<float>([1, 1], new float[2], dz, [], [], w, z));
        Assert.Throws<ArgumentException>(() => NonZeroInputs.UpdateThenAccumulate<float>([2, 0], new float[2], dz, [], [], w, z));
        Assert.Throws<ArgumentException>(() => NonZeroInputs.UpdateThenAccumulate<float>([], [], dz, [3], new float[1], w, z));
        Assert.Throws<ArgumentException>(() => NonZeroInputs.UpdateThenAccumulate<float>([], [], dz, [-1], new float[1], w, z));
        Assert.Throws<ArgumentException>(() => NonZeroInputs.UpdateThenAccumulate<float>([0], new float[2], dz, [], [], w, z));
        Assert.Throws<ArgumentException>(() => NonZeroInputs.UpdateThenAccumulate<float>([], [], dz, [0], [], w, z));
        Assert.Throws<ArgumentException>(() => NonZeroInputs.UpdateThenAccumulate<float>([], [], dz, [], [], w, new float[3]));
        Assert.Throws<ArgumentException>(() => NonZeroInputs.UpdateThenAccumulate<float>([], [], new float[5], [], [], w, new float[5]));
        Assert.Throws<ArgumentException>(() => NonZeroInputs.UpdateThenAccumulate<float>([0], new float[1], w.AsSpan(8, 4), [], [], w, z));
        Assert.Throws<ArgumentException>(() => NonZeroInputs.UpdateThenAccumulate<float>([], [], dz, [0], new float[1], w, w.AsSpan(0, 4)));
        Assert.Throws<ArgumentException>(() => NonZeroInputs.UpdateThenAccumulate<float>([], [], dz, [0], new float[1], w, dz));
        Assert.Throws<ArgumentException>(() => NonZeroInputs.Rank1UpdateRows<float>([3], new float[1], dz, w));
    }

    [Fact]
    public void Long_row_lists_are_validated_at_every_position()
    {
        // 30 rows of 4: lists longer than a vector of indices, broken at each position in turn (a repeat, a decrease,
        // out of range at either end), each named by its index; the intact list passes
        const int inputs = 30;
        float[] w = new float[inputs * 4], dz = new float[4], z = new float[4];
        var rows = Enumerable.Range(0, 21).Select(k => k + k / 3).ToArray(); // 0, 1, 2, 4, 5, 6, 8, … 26
        NonZeroInputs.UpdateThenAccumulate<float>(rows, new float[rows.Length], dz, rows, new float[rows.Length], w, z);
        for (var k = 0; k < rows.Length; k++)
        {
            foreach (var bad in new[] { k > 0 ? rows[k - 1] : -1, k > 0 ? rows[k - 1] - 1 : -5, inputs, inputs + 7 })
            {
                var broken = (int[])rows.Clone();
                broken[k] = bad;
                var error = Assert.Throws<ArgumentException>(() =>
                    NonZeroInputs.UpdateThenAccumulate<float>([], [], dz, broken, new float[broken.Length], w, z));
                Assert.Contains($"accumulateRows[{k}] is {bad}", error.Message, StringComparison.Ordinal);
            }
        }
    }

    private static byte[] Pixels(Random random, int count)
    {
        var pixels = new byte[count];
        for (int j = 0; j < count; j++)
            pixels[j] = random.NextDouble() < 0.5 ? (byte)0 : (byte)random.Next(1, 256);
        return pixels;
    }
}
