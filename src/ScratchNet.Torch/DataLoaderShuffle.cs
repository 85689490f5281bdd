using static TorchSharp.torch;

namespace ScratchNet.Torch;

/// <summary>
/// The example order of one epoch exactly as PyTorch 1.13's <c>DataLoader(dataset, batch_size, shuffle=True)</c> draws it
/// with num_workers = 0. Creating the epoch's iterator makes two draws from the GLOBAL generator:
/// <list type="number">
/// <item><c>_BaseDataLoaderIter.__init__</c>: <c>_base_seed = torch.empty((), dtype=torch.int64).random_().item()</c>
/// (the worker base seed; unused without workers, but drawn);</item>
/// <item><c>RandomSampler.__iter__</c> (on the first batch): <c>seed = int(torch.empty((), dtype=torch.int64).random_().item())</c>,
/// then <c>generator = torch.Generator(); generator.manual_seed(seed)</c> and <c>torch.randperm(n, generator=generator)</c>.</item>
/// </list>
/// Batches are consecutive slices of that permutation; the last one may be short.
/// </summary>
public static class DataLoaderShuffle
{
    // random_() on int64 with no bounds returns random64() % 2^63. TorchSharp only exposes random_(from, to) with
    // double bounds (2^63 - 1 is not a double), so draw from [-1024, 2^63 - 1024): the same single random64() call,
    // range 2^63, shifted by -1024, which is added back. Both bounds are exact doubles.
    private const double DrawShift = 1024;
    private const double DrawUpperBound = 9223372036854774784.0; // 2^63 - 1024

    /// <summary>One int64 draw from the global generator, as <c>torch.empty((), dtype=torch.int64).random_().item()</c>.</summary>
    public static long DrawSeedFromGlobalGenerator()
    {
        using var scalar = empty(Array.Empty<long>(), ScalarType.Int64);
        scalar.random_(-DrawShift, DrawUpperBound);
        return scalar.item<long>() + (long)DrawShift;
    }

    /// <summary><c>torch.randperm(n, generator=torch.Generator().manual_seed(seed))</c> as a managed array.</summary>
    public static long[] Permutation(long count, long seed)
    {
        using var permutation = PermutationTensor(count, seed);
        return permutation.data<long>().ToArray();
    }

    /// <summary>Makes the epoch's two global draws (worker base seed, sampler seed) and returns the epoch's example order.</summary>
    public static long[] NextEpochOrder(long count)
    {
        using var order = NextEpochOrderTensor(count);
        return order.data<long>().ToArray();
    }

    /// <summary><see cref="NextEpochOrder"/> as an int64 tensor (the trainer slices batches from it without copying to managed memory).</summary>
    internal static Tensor NextEpochOrderTensor(long count)
    {
        DrawSeedFromGlobalGenerator();
        long samplerSeed = DrawSeedFromGlobalGenerator();
        return PermutationTensor(count, samplerSeed);
    }

    private static Tensor PermutationTensor(long count, long seed)
    {
        using var generator = new Generator(0, CPU);
        generator.manual_seed(seed);
        return randperm(count, ScalarType.Int64, generator: generator);
    }
}
