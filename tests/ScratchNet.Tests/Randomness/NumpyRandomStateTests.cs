using System.Text.Json;
using ScratchNet.Randomness;

namespace ScratchNet.Tests.Randomness;

/// <summary>
/// Compares every draw with vectors numpy 1.24 produced (TestData/make_numpy_vectors.py writes numpy_vectors.json).
/// Doubles are compared bit for bit: the point of this class is to be numpy's stream exactly.
/// </summary>
public class NumpyRandomStateTests
{
    private static readonly JsonElement Vectors = JsonDocument.Parse(File.ReadAllText(TestPaths.TestData("numpy_vectors.json"))).RootElement;

    private static double[] Doubles(string name) => [.. Vectors.GetProperty(name).EnumerateArray().Select(e => e.GetDouble())];

    private static long[] Longs(string name) => [.. Vectors.GetProperty(name).EnumerateArray().Select(e => e.GetInt64())];

    private static long[] Longs(JsonElement element) => [.. element.EnumerateArray().Select(e => e.GetInt64())];

    [Fact]
    public void Raw_32_bit_outputs_match_numpy()
    {
        var rng = new NumpyRandomState(42);
        var actual = Enumerable.Range(0, 8).Select(_ => (long)rng.NextUInt32()).ToArray();
        Assert.Equal(Longs("raw_uint32_seed42"), actual);
    }

    [Fact]
    public void Random_sample_matches_numpy_bit_for_bit()
    {
        var rng = new NumpyRandomState(42);
        Assert.Equal(Doubles("random_sample_seed42"), Enumerable.Range(0, 6).Select(_ => rng.NextDouble()));
    }

    [Fact]
    public void Largest_seed_is_accepted_and_matches_numpy()
    {
        var rng = new NumpyRandomState(uint.MaxValue);
        Assert.Equal(Doubles("seed_max_uint32"), Enumerable.Range(0, 3).Select(_ => rng.NextDouble()));
    }

    [Fact]
    public void Normal_matches_numpy_including_the_cached_second_value()
    {
        var actual = new double[7]; // odd length: the last value leaves a cached Gaussian behind
        new NumpyRandomState(42).Normal(0.1, 0.1, actual);
        Assert.Equal(Doubles("normal_seed42"), actual);
    }

    [Fact]
    public void Randint_matches_numpy_for_narrow_and_64_bit_ranges()
    {
        var narrow = new NumpyRandomState(7);
        Assert.Equal(Longs("randint_0_10_seed7"), Enumerable.Range(0, 12).Select(_ => narrow.RandInt(0, 10)));
        var wide = new NumpyRandomState(7);
        Assert.Equal(Longs("randint_wide_seed7"), Enumerable.Range(0, 4).Select(_ => wide.RandInt(-5, 1L << 40)));
    }

    [Fact]
    public void Randint_rejects_an_empty_range()
    {
        var rng = new NumpyRandomState(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.RandInt(3, 3));
    }

    [Fact]
    public void Permutation_matches_numpy()
    {
        Assert.Equal(Longs("permutation20_seed42"), new NumpyRandomState(42).Permutation(20).Select(v => (long)v));
    }

    [Fact]
    public void The_course_split_permutation_matches_numpy_in_full()
    {
        var perm = new NumpyRandomState(42).Permutation(60000);
        Assert.Equal(Longs("permutation60000_seed42_head"), perm.Take(10).Select(v => (long)v));
        long fingerprint = 0;
        for (var i = 0; i < perm.Length; i++)
            fingerprint += (long)i * perm[i];
        Assert.Equal(Vectors.GetProperty("permutation60000_seed42_fingerprint").GetInt64(), fingerprint);
    }

    [Fact]
    public void The_course_sequence_of_weights_then_epoch_permutations_matches_numpy()
    {
        var sequence = Vectors.GetProperty("course_sequence");
        var rng = new NumpyRandomState(42);
        var weights = new double[15];
        rng.Normal(0.1, 0.1, weights);
        Assert.Equal(sequence.GetProperty("weights").EnumerateArray().Select(e => e.GetDouble()), weights);
        Assert.Equal(Longs(sequence.GetProperty("epoch1")), rng.Permutation(50).Select(v => (long)v));
        Assert.Equal(Longs(sequence.GetProperty("epoch2")), rng.Permutation(50).Select(v => (long)v));
    }

    [Fact]
    public void Permutation_of_zero_and_one_elements()
    {
        Assert.Empty(new NumpyRandomState(42).Permutation(0));
        Assert.Equal([0], new NumpyRandomState(42).Permutation(1));
    }
}
