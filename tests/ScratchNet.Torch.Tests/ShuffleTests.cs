using static TorchSharp.torch;

namespace ScratchNet.Torch.Tests;

public class ShuffleTests
{
    [Fact]
    public void Reference_mt19937_matches_the_published_first_output_for_seed_42() =>
        Assert.Equal(1608637542u, new Mt19937(42).Next()); // std::mt19937(42)() in C++

    [Fact]
    public void Seed_draw_is_random64_modulo_2_pow_63_from_the_global_generator()
    {
        manual_seed(42);
        long first = DataLoaderShuffle.DrawSeedFromGlobalGenerator();
        long second = DataLoaderShuffle.DrawSeedFromGlobalGenerator();

        var reference = new Mt19937(42);
        Assert.Equal((long)(reference.Next64() % (1UL << 63)), first);
        Assert.Equal((long)(reference.Next64() % (1UL << 63)), second);
    }

    [Theory]
    [InlineData(10, 7L)]
    [InlineData(1000, 4_000_000_000_123L)]
    public void Permutation_is_randperm_fisher_yates_on_a_fresh_generator(int count, long seed)
    {
        var reference = new Mt19937((ulong)seed);
        long[] expected = Enumerable.Range(0, count).Select(i => (long)i).ToArray();
        for (int i = 0; i < count - 1; i++)
        {
            long z = reference.Next() % (count - i);
            (expected[i], expected[z + i]) = (expected[z + i], expected[i]);
        }

        Assert.Equal(expected, DataLoaderShuffle.Permutation(count, seed));
    }

    [Fact]
    public void Epoch_order_uses_the_second_of_two_global_draws_and_is_deterministic()
    {
        manual_seed(42);
        long[] epoch1 = DataLoaderShuffle.NextEpochOrder(500);
        long[] epoch2 = DataLoaderShuffle.NextEpochOrder(500);
        manual_seed(42);
        DataLoaderShuffle.DrawSeedFromGlobalGenerator(); // the DataLoader iterator's worker base seed
        long samplerSeed = DataLoaderShuffle.DrawSeedFromGlobalGenerator();
        long[] epoch1Again = DataLoaderShuffle.Permutation(500, samplerSeed);

        Assert.Equal(epoch1Again, epoch1);
        Assert.NotEqual(epoch1, epoch2);
        Assert.Equal(Enumerable.Range(0, 500).Select(i => (long)i), epoch1.Order());
        manual_seed(42);
        Assert.Equal(epoch1, DataLoaderShuffle.NextEpochOrder(500));
        Assert.Equal(epoch2, DataLoaderShuffle.NextEpochOrder(500));
    }
}
