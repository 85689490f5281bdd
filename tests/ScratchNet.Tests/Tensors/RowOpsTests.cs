using FsCheck;
using FsCheck.Fluent;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Tensors;

public class RowOpsTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 10)]
    [InlineData(2, 17)]
    [InlineData(4, 300)]
    public void Softmax_and_log_softmax_match_the_naive_twin(int rows, int cols)
    {
        var random = new Random(rows * cols);
        double[] x = TestData.Random<double>(random, rows * cols).Select(v => v * 20).ToArray();
        float[] xf = x.Select(v => (float)v).ToArray();
        double[] soft = new double[x.Length], logSoft = new double[x.Length];
        float[] softF = new float[x.Length];
        RowOps.Softmax<double>(x, cols, soft);
        RowOps.LogSoftmax<double>(x, cols, logSoft);
        RowOps.Softmax<float>(xf, cols, softF);
        for (int n = 0; n < rows; n++)
        {
            double[] row = x.Skip(n * cols).Take(cols).ToArray();
            double[] expected = Reference.Softmax(row), expectedLog = Reference.LogSoftmax(row);
            double[] rowF = xf.Skip(n * cols).Take(cols).Select(v => (double)v).ToArray();
            double[] expectedF = Reference.Softmax(rowF);
            for (int k = 0; k < cols; k++)
            {
                Assert.Equal(expected[k], soft[n * cols + k], 1e-14);
                Assert.Equal(expectedLog[k], logSoft[n * cols + k], 1e-12);
                Assert.Equal(expectedF[k], softF[n * cols + k], 1e-6);
            }
        }
    }

    [Fact]
    public void Huge_logits_stay_finite()
    {
        float[] x = [1e30f, -1e30f, 1e30f, 0f, float.MaxValue, -float.MaxValue, 0f, 5f];
        float[] soft = new float[8], logSoft = new float[8];
        RowOps.Softmax<float>(x, 4, soft);
        RowOps.LogSoftmax<float>(x, 4, logSoft);
        Assert.Equal([0.5f, 0f, 0.5f, 0f, 1f, 0f, 0f, 0f], soft);
        Assert.All(logSoft, v => Assert.False(float.IsNaN(v)));
        Assert.Equal(-MathF.Log(2), logSoft[0], 1e-6f);
        Assert.Equal(0f, logSoft[4], 1e-6f);
        Assert.True(float.IsNegativeInfinity(logSoft[5]) || logSoft[5] < -1e38f);
    }

    [Fact]
    public void In_place_equals_out_of_place_and_partial_overlap_is_rejected()
    {
        float[] x = TestData.Random<float>(new Random(5), 12);
        float[] separate = new float[12], inPlace = (float[])x.Clone();
        RowOps.LogSoftmax<float>(x, 6, separate);
        RowOps.LogSoftmax<float>(inPlace, 6, inPlace);
        Assert.Equal(separate, inPlace);
        float[] softSeparate = new float[12], softInPlace = (float[])x.Clone();
        RowOps.Softmax<float>(x, 6, softSeparate);
        RowOps.Softmax<float>(softInPlace, 6, softInPlace);
        Assert.Equal(softSeparate, softInPlace);
        Assert.Throws<ArgumentException>(() => RowOps.Softmax<float>(x.AsSpan(0, 6), 3, x.AsSpan(3, 6)));
        Assert.Throws<ArgumentException>(() => RowOps.Softmax<float>(x, 5, new float[12]));
        Assert.Throws<ArgumentException>(() => RowOps.LogSoftmax<float>(x, 6, new float[6]));
    }

    [Fact]
    public void ArgMax_returns_the_first_largest_per_row()
    {
        float[] x = [1, 3, 3, 0, -1, -1, -2, -5, 7, 7, 7, 7];
        int[] best = new int[3];
        RowOps.ArgMax<float>(x, 4, best);
        Assert.Equal([1, 0, 0], best);
        var random = new Random(9);
        double[] values = TestData.Random<double>(random, 50 * 13);
        int[] result = new int[50];
        RowOps.ArgMax<double>(values, 13, result);
        for (int n = 0; n < 50; n++)
            Assert.Equal(Reference.ArgMax<double>(values.AsSpan(n * 13, 13)), result[n]);
        Assert.Throws<ArgumentException>(() => RowOps.ArgMax<float>(x, 4, new int[2]));
    }
}

public class RowOpsProperties
{
    /// <summary>Random rows with logits up to ±1e4: softmax sums to 1, ignores a shift of the row, and its log is
    /// log-softmax.</summary>
    [Fact]
    public void Softmax_sums_to_one_is_shift_invariant_and_agrees_with_log_softmax() =>
        Prop.ForAll(
            ArbMap.Default.ArbFor<int>(),
            seed =>
            {
                var random = new Random(seed);
                int cols = random.Next(1, 40);
                double scale = Math.Pow(10, random.Next(0, 5));
                double[] x = TestData.Random<double>(random, cols).Select(v => v * scale).ToArray();
                double shift = (random.NextDouble() - 0.5) * 1e4;
                double[] soft = new double[cols], shifted = new double[cols], logSoft = new double[cols];
                RowOps.Softmax<double>(x, cols, soft);
                RowOps.Softmax<double>(x.Select(v => v + shift).ToArray(), cols, shifted);
                RowOps.LogSoftmax<double>(x, cols, logSoft);
                Assert.Equal(1.0, soft.Sum(), 1e-12);
                for (int k = 0; k < cols; k++)
                {
                    Assert.Equal(soft[k], shifted[k], 1e-9);
                    Assert.Equal(soft[k], Math.Exp(logSoft[k]), 1e-12);
                    Assert.False(double.IsNaN(logSoft[k]));
                }
            })
        .QuickCheckThrowOnFailure();
}
