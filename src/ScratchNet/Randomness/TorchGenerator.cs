using System.Numerics;

namespace ScratchNet.Randomness;

/// <summary>
/// libtorch 2.10's CPU generator (<c>CPUGeneratorImpl</c>) and the CPU transforms the course's PyTorch code drew through,
/// bit for bit, in managed code. The engine is MT19937 seeded as <c>manual_seed(s)</c> seeds it (init_genrand with the
/// low 32 bits of s); <c>random()</c> is one 32-bit output and <c>random64()</c> two, the first in the high half. On it:
/// <list type="bullet">
/// <item><c>torch.empty((), dtype=int64).random_()</c>: <c>random64() % 2^63</c> (<see cref="RandomInt64"/>);</item>
/// <item><c>randperm(n, generator)</c> for n below 2^32 / 20: <c>arange(n)</c>, then for i = 0 … n − 2 swap i with
/// i + <c>random() % (n − i)</c>; above it, the inside-out shuffle on <c>random64()</c> (<see cref="RandPerm"/>);</item>
/// <item><c>uniform_(from, to)</c> on float32: the bounds rounded to float32, then per element
/// <c>(random() &amp; (2^24 − 1)) · 2^−24 · (to − from) + from</c> in float32, fused (<see cref="UniformFloat32"/>); nn.Linear's
/// init is that with kaiming_uniform_(a = √5)'s bound for the weight and 1/√fan_in for the bias (<see cref="LinearInit"/>);</item>
/// <item><c>bernoulli_(p)</c> with a scalar p, on one of libtorch's two CPU paths (<see cref="TorchBernoulliPath"/>):
/// on a CPU whose vendor is not Intel (or in a build without MKL), per element <c>u &lt; p</c> with
/// <c>u = (random64() &amp; (2^53 − 1)) · 2^−53</c> in double (<see cref="Bernoulli"/>, <see cref="FillBernoulli"/>); on an
/// Intel CPU, the official (MKL) build takes one <c>random()</c> as the seed of an MKL MCG31 stream and draws the whole
/// tensor there (<see cref="Mcg31Bernoulli"/>). Dropout(p) draws <c>bernoulli_(1 − p)</c> once per forward over the whole activation
/// (<see cref="FillDropoutMask"/>).</item>
/// <item>the DataLoader's epoch order: two <c>random_()</c> draws, then <c>randperm(n)</c> on a fresh generator seeded
/// with the second (<see cref="NextEpochOrder"/>).</item>
/// </list>
/// </summary>
/// <remarks>Not thread-safe: one instance is one generator, used by one thread.</remarks>
public sealed class TorchGenerator : IDropoutMasks
{
    /// <summary>randperm's bound between the two algorithms: n &lt; uint32 max / 20 takes the random() swap.</summary>
    public const long SmallPermutationLimit = uint.MaxValue / 20;

    private readonly Mt19937 _mt = new(0);

    /// <summary>
    /// A generator as <c>torch.Generator().manual_seed(seed)</c> (or <c>torch.manual_seed(seed)</c>) leaves it, whose
    /// dropout masks follow <paramref name="bernoulliPath"/>.
    /// </summary>
    public TorchGenerator(long seed, TorchBernoulliPath bernoulliPath = TorchBernoulliPath.PerElement)
    {
        BernoulliPath = bernoulliPath;
        ManualSeed(seed);
    }

    /// <summary>How <see cref="FillDropoutMask"/> draws: libtorch's per-element kernel or, as on an Intel CPU, MKL's.</summary>
    public TorchBernoulliPath BernoulliPath { get; }

    /// <summary><c>manual_seed(seed)</c>: MT19937's init_genrand with the seed's low 32 bits.</summary>
    public void ManualSeed(long seed)
    {
        _mt.Seed(unchecked((uint)seed));
    }

    /// <summary><c>random()</c>: the next 32-bit output of MT19937.</summary>
    public uint Random() => _mt.Next();

    /// <summary><c>random64()</c>: two outputs, the first as the high 32 bits.</summary>
    public ulong Random64()
    {
        ulong high = Random();
        return (high << 32) | Random();
    }

    /// <summary>Skips <paramref name="count"/> 32-bit outputs (a replay of draws whose values are not needed).</summary>
    public void Discard(long count) => _mt.Discard(count);

    /// <summary><c>torch.empty((), dtype=torch.int64).random_().item()</c>: <c>random64() % 2^63</c>.</summary>
    public long RandomInt64() => (long)(Random64() % (1UL << 63));

    /// <summary><c>uniform_(0, 1)</c> on a float64 tensor: 53 bits of <c>random64()</c> times 2^−53.</summary>
    public double UniformDouble() => (Random64() & ((1UL << 53) - 1)) * (1.0 / (1UL << 53));

    /// <summary><c>bernoulli_(p)</c>, one element on the per-element path: 1 when <see cref="UniformDouble"/> &lt; p.</summary>
    public bool Bernoulli(double p) => UniformDouble() < p;

    /// <summary>
    /// <c>uniform_(from, to)</c> of a float32 tensor, in element order: from and to rounded to float32, then
    /// <c>x · (to − from) + from</c> in float32 with <c>x = (random() &amp; (2^24 − 1)) · 2^−24</c>, as one fused
    /// multiply-add: libtorch's uniform kernel is compiled per CPU capability, and its AVX2 and AVX-512 builds contract
    /// the expression into an FMA (measured bit for bit; an unfused product then sum differs in the last bit).
    /// </summary>
    public void UniformFloat32(Span<float> destination, double from, double to)
    {
        var low = (float)from;
        var range = (float)to - low;
        for (var i = 0; i < destination.Length; i++)
        {
            var x = (Random() & 0xFFFFFF) * (1.0f / 16777216.0f);
            destination[i] = MathF.FusedMultiplyAdd(x, range, low);
        }
    }

    /// <summary>
    /// nn.Linear(fanIn, out)'s reset_parameters: the weight [out, fanIn] in row-major order by kaiming_uniform_(a = √5)
    /// (bound √3 · √(2 / (1 + a²)) / √fan_in, in double), then the bias [out] by U(±1/√fan_in).
    /// </summary>
    public void LinearInit(Span<float> weight, Span<float> bias, int fanIn)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fanIn, 1);
        UniformFloat32(weight, -KaimingBound(fanIn), KaimingBound(fanIn));
        var bound = 1 / Math.Sqrt(fanIn);
        UniformFloat32(bias, -bound, bound);
    }

    /// <summary>kaiming_uniform_(a = √5, mode fan_in, leaky_relu)'s bound: gain √(2 / (1 + a²)), std gain / √fan_in, bound √3 · std.</summary>
    public static double KaimingBound(int fanIn)
    {
        var a = Math.Sqrt(5.0);
        var gain = Math.Sqrt(2.0 / (1 + a * a));
        var std = gain / Math.Sqrt(fanIn);
        return Math.Sqrt(3.0) * std;
    }

    /// <summary><c>torch.randperm(n, generator=this)</c> on the CPU.</summary>
    public int[] RandPerm(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var values = new int[n];
        if (n < SmallPermutationLimit)
        {
            for (var i = 0; i < n; i++)
                values[i] = i;
            for (var i = 0; i < n - 1; i++)
            {
                var z = (int)(Random() % (uint)(n - i));
                (values[i], values[z + i]) = (values[z + i], values[i]);
            }
            return values;
        }
        // inside-out Fisher–Yates on random64(), for n too large for random() % n to be near uniform
        for (var i = 0; i < n; i++)
        {
            var z = (int)(Random64() % (ulong)(i + 1));
            values[i] = values[z];
            values[z] = i;
        }
        return values;
    }

    /// <summary>
    /// One epoch of <c>DataLoader(shuffle=True)</c> (num_workers 0): the iterator's worker base seed and the sampler's
    /// seed are two <see cref="RandomInt64"/> draws from this (global) generator; the order is <c>randperm(n)</c> on a
    /// fresh generator seeded with the second.
    /// </summary>
    public int[] NextEpochOrder(int n)
    {
        RandomInt64(); // _BaseDataLoaderIter's _base_seed: drawn, unused without workers
        var samplerSeed = RandomInt64();
        return new TorchGenerator(samplerSeed).RandPerm(n);
    }

    /// <summary>
    /// Dropout(p)'s mask over one activation tensor in training, in element order: <c>bernoulli_(1 − p)</c> on
    /// <see cref="BernoulliPath"/>, each kept element set to <paramref name="keepScale"/> (1/(1 − p)), each dropped one to 0.
    /// </summary>
    public void FillDropoutMask<T>(Span<T> mask, double p, T keepScale) where T : unmanaged, IFloatingPointIeee754<T> =>
        FillBernoulli(mask, 1 - p, keepScale);

    /// <summary>
    /// <c>bernoulli_(p)</c> with a scalar p over one tensor, in element order, on <see cref="BernoulliPath"/>: each element
    /// <paramref name="success"/> with probability p, else 0.
    /// </summary>
    public void FillBernoulli<T>(Span<T> destination, double p, T success) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (BernoulliPath == TorchBernoulliPath.IntelMkl)
        {
            // bernoulli_scalar_kernel's MKL branch: seed = generator->random(), then viRngBernoulli(ICDF) on MCG31
            Mcg31Bernoulli.Fill(Random(), p, destination, success, T.Zero);
            return;
        }
        // the draws of UniformDouble, taken from the stream in bulk: two outputs per element, the first the high word
        const int Chunk = 256;
        Span<uint> draws = stackalloc uint[2 * Chunk];
        for (var start = 0; start < destination.Length; start += Chunk)
        {
            var count = Math.Min(Chunk, destination.Length - start);
            _mt.Fill(draws[..(2 * count)]);
            var part = destination.Slice(start, count);
            for (var i = 0; i < part.Length; i++)
            {
                var bits = ((ulong)draws[2 * i] << 32) | draws[2 * i + 1];
                part[i] = (bits & ((1UL << 53) - 1)) * (1.0 / (1UL << 53)) < p ? success : T.Zero;
            }
        }
    }

    /// <summary>
    /// The 32-bit outputs <paramref name="calls"/> calls of <see cref="FillDropoutMask"/> over <paramref name="elements"/>
    /// elements in all consume: two per element on the per-element path, one per call (its MKL seed) on MKL's.
    /// </summary>
    public long DropoutDraws(long elements, long calls) => BernoulliPath == TorchBernoulliPath.IntelMkl ? calls : 2 * elements;
}
