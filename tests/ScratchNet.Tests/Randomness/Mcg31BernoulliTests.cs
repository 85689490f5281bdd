using System.Text.Json;
using FsCheck.Xunit;
using ScratchNet.Randomness;

namespace ScratchNet.Tests.Randomness;

/// <summary>
/// MKL's Bernoulli draws on an MCG31 stream, the masks libtorch's official build draws for Dropout on an Intel CPU,
/// against vectors Intel MKL 2020.4 produced (TestData/make_mkl_bernoulli_vectors.c writes mkl_bernoulli_vectors.json):
/// 10 seeds (0, 2^31 − 1 and 2^31 among them) × p 0.7, 0.5, 0.9, 0.1 × 1000 elements, two streams skipped ahead as a
/// chunk of libtorch's parallel loop is, and 123 states within float rounding of p, where comparing in double would
/// answer otherwise.
/// </summary>
public class Mcg31BernoulliTests
{
    private static readonly JsonElement Vectors = JsonDocument.Parse(File.ReadAllText(TestPaths.TestData("mkl_bernoulli_vectors.json"))).RootElement;

    private static IEnumerable<(uint Seed, double P, int Skip, string Bits)> Cases() =>
        Vectors.GetProperty("cases").EnumerateArray().Select(c =>
            (c.GetProperty("seed").GetUInt32(), c.GetProperty("p").GetDouble(), c.GetProperty("skip").GetInt32(), c.GetProperty("bits").GetString()!));

    [Fact]
    public void Every_case_equals_mkls_viRngBernoulli_element_for_element()
    {
        var cases = Cases().ToList();
        var elements = 0;
        foreach (var (seed, p, skip, bits) in cases)
        {
            var drawn = new int[skip + bits.Length];
            Mcg31Bernoulli.Fill(seed, p, drawn.AsSpan(), 1, 0);
            var actual = string.Concat(drawn.Skip(skip).Select(b => b == 1 ? '1' : '0'));
            if (bits != actual)
                Assert.Fail($"seed {seed}, p {p}, skip {skip}: first difference at element {skip + Enumerable.Range(0, bits.Length).First(i => bits[i] != actual[i])}");
            elements += bits.Length;
        }
        Assert.True(cases.Count >= 160 && elements >= 40_000, $"only {cases.Count} cases, {elements} elements compared");
    }

    [Fact]
    public void The_edge_states_tell_the_float_comparison_from_a_double_one()
    {
        // the vectors would not catch a comparison in double if no state between (float)p and p were among them
        var disagreements = Cases().Where(c => c.Bits.Length == 1)
            .Count(c => (Mcg31Bernoulli.Start(c.Seed) / (double)Mcg31Bernoulli.Modulus < c.P) != (c.Bits == "1"));
        Assert.True(disagreements >= 10, $"only {disagreements} edge states where a double comparison differs from MKL");
    }

    [Theory]
    [InlineData(0u, 1u)]
    [InlineData(2147483647u, 1u)] // seed ≡ 0 mod m starts at 1, as vslNewStream does
    [InlineData(2147483648u, 1u)]
    [InlineData(4294967295u, 1u)] // 2^32 − 1 = 2m + 1
    [InlineData(42u, 42u)]
    [InlineData(3000000000u, 852516353u)]
    public void A_stream_starts_at_the_seed_modulo_m_and_never_at_0(uint seed, uint start) =>
        Assert.Equal(start, Mcg31Bernoulli.Start(seed));

    [Property(MaxTest = 2000)]
    public bool The_division_free_step_is_a_times_x_mod_m(uint state)
    {
        var x = state % Mcg31Bernoulli.Modulus;
        return Mcg31Bernoulli.Next(x) == (uint)((ulong)x * Mcg31Bernoulli.Multiplier % Mcg31Bernoulli.Modulus);
    }

    [Fact]
    public void The_step_is_exact_at_the_ends_of_the_range()
    {
        foreach (var x in new uint[] { 1, 2, Mcg31Bernoulli.Modulus - 1, Mcg31Bernoulli.Modulus - 2, 1U << 30, (1U << 31) - 3 })
            Assert.Equal((uint)((ulong)x * Mcg31Bernoulli.Multiplier % Mcg31Bernoulli.Modulus), Mcg31Bernoulli.Next(x));
    }

    [Fact]
    public void A_dropout_mask_on_the_MKL_path_takes_one_draw_as_the_seed_of_the_whole_tensor()
    {
        var generator = new TorchGenerator(42, TorchBernoulliPath.IntelMkl);
        var twin = new TorchGenerator(42);
        var mask = new float[2 * 200];
        generator.FillDropoutMask<float>(mask.AsSpan(0, 200), 0.3, 1 / 0.7f);
        generator.FillDropoutMask<float>(mask.AsSpan(200), 0.3, 1 / 0.7f);

        foreach (var half in new[] { mask.AsSpan(0, 200).ToArray(), mask.AsSpan(200).ToArray() })
        {
            var expected = new float[200];
            Mcg31Bernoulli.Fill(twin.Random(), 0.7, expected.AsSpan(), 1 / 0.7f, 0f);
            Assert.Equal(expected, half);
        }
        Assert.Equal(twin.Random(), generator.Random()); // one 32-bit output per call, whatever the size
        var kept = mask.Count(m => m != 0) / (double)mask.Length;
        Assert.InRange(kept, 0.6, 0.8);
    }

    [Theory]
    [InlineData(TorchBernoulliPath.PerElement)]
    [InlineData(TorchBernoulliPath.IntelMkl)]
    public void Discarding_a_masks_draws_lands_where_drawing_it_does(TorchBernoulliPath path)
    {
        var drawn = new TorchGenerator(7, path);
        var skipped = new TorchGenerator(7, path);
        var mask = new double[50];
        for (var call = 0; call < 30; call++)
            drawn.FillDropoutMask<double>(mask, 0.5, 2.0);
        skipped.Discard(skipped.DropoutDraws(elements: 30 * 50, calls: 30));
        Assert.Equal(drawn.Random64(), skipped.Random64());
    }
}
