namespace ScratchNet.Randomness;

/// <summary>
/// numpy's legacy <c>RandomState</c>, bit for bit (numpy 1.x): the MT19937 generator seeded from an integer as
/// <c>np.random.RandomState(seed)</c> / <c>np.random.seed(seed)</c> seed it, and the draws the course code made
/// (<c>random_sample</c>, <c>randint</c>, <c>permutation</c>/<c>shuffle</c>, legacy <c>normal</c> with its cached
/// second Gaussian). Reproducing this stream is what makes the course's numbers reproducible.
/// </summary>
/// <remarks>Not thread-safe: one instance is one stream, used by one thread.</remarks>
public sealed class NumpyRandomState : IDropoutMasks, IEpochOrders
{
    private readonly Mt19937 _mt;
    private bool _hasGauss;
    private double _gauss;

    /// <summary>Seeds as <c>np.random.RandomState(seed)</c> does for an integer seed (init_genrand).</summary>
    public NumpyRandomState(uint seed) => _mt = new Mt19937(seed);

    /// <summary>The next raw 32-bit output of MT19937 (numpy's <c>mt19937_next32</c>).</summary>
    public uint NextUInt32() => _mt.Next();

    /// <summary><c>random_sample()</c>: a double in [0, 1) with 53 random bits (two 32-bit draws).</summary>
    public double NextDouble()
    {
        var a = NextUInt32() >> 5;
        var b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /// <summary>Legacy <c>standard_normal()</c>: Marsaglia's polar method, caching the second value as numpy does.</summary>
    public double NextGaussian()
    {
        if (_hasGauss)
        {
            _hasGauss = false;
            return _gauss;
        }

        double x1, x2, r2;
        do
        {
            x1 = 2.0 * NextDouble() - 1.0;
            x2 = 2.0 * NextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        }
        while (r2 >= 1.0 || r2 == 0.0);

        var f = Math.Sqrt(-2.0 * Math.Log(r2) / r2);
        _gauss = f * x1;
        _hasGauss = true;
        return f * x2;
    }

    /// <summary>Legacy <c>normal(loc, scale)</c>: <c>loc + scale * standard_normal()</c>.</summary>
    public double Normal(double loc, double scale) => loc + scale * NextGaussian();

    /// <summary>Legacy <c>normal(loc, scale, size)</c>: fills <paramref name="destination"/> in C order.</summary>
    public void Normal(double loc, double scale, Span<double> destination)
    {
        for (var i = 0; i < destination.Length; i++)
            destination[i] = loc + scale * NextGaussian();
    }

    /// <summary>
    /// <c>randint(low, high)</c> for the default int64 dtype: an integer in [low, high), drawn by masked rejection
    /// on 32-bit outputs when the range fits in 32 bits (as numpy's bounded-integer code does), else on 64-bit outputs.
    /// </summary>
    public long RandInt(long low, long high)
    {
        if (high <= low)
            throw new ArgumentOutOfRangeException(nameof(high), $"randint needs low < high; got low = {low}, high = {high}.");
        var range = (ulong)(high - 1 - low);
        return low + (long)BoundedMasked(range);
    }

    /// <summary>Legacy <c>shuffle(x)</c> of a 1-D array: Fisher–Yates from the end, as numpy does.</summary>
    public void Shuffle<T>(Span<T> values)
    {
        for (var i = values.Length - 1; i >= 1; i--)
        {
            var j = (int)Interval((uint)i);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>
    /// The scratch engine's dropout mask on numpy's stream: per element one <see cref="NextDouble"/>, dropped (0) when it
    /// is below <paramref name="p"/>, else <paramref name="keepScale"/>.
    /// </summary>
    public void FillDropoutMask<T>(Span<T> mask, double p, T keepScale) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        for (var i = 0; i < mask.Length; i++)
            mask[i] = NextDouble() < p ? T.Zero : keepScale;
    }

    /// <summary><c>permutation(n)</c>: a shuffled <c>arange(n)</c>.</summary>
    public int[] Permutation(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var values = new int[n];
        for (var i = 0; i < n; i++)
            values[i] = i;
        Shuffle<int>(values);
        return values;
    }

    /// <summary>The course's epoch shuffle: <c>order[permutation(n)]</c> (orders compound epoch after epoch).</summary>
    public int[] NextOrder(int[] order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var permutation = Permutation(order.Length);
        var next = new int[order.Length];
        for (var i = 0; i < next.Length; i++)
            next[i] = order[permutation[i]];
        return next;
    }

    /// <summary>As <see cref="NextOrder"/>: an epoch draws nothing else from this stream (dropout has its own).</summary>
    public int[] ReplayEpoch(int[] order) => NextOrder(order);

    // numpy's random_interval: an integer in [0, max] by masked rejection on 32-bit draws.
    private ulong Interval(uint max)
    {
        if (max == 0)
            return 0;
        var mask = SmearBits(max);
        uint value;
        while ((value = NextUInt32() & (uint)mask) > max)
        {
        }
        return value;
    }

    // numpy's bounded_masked_uint64 (legacy randint): 32-bit draws when the range fits, else 64-bit ones.
    private ulong BoundedMasked(ulong range)
    {
        if (range == 0)
            return 0;
        var mask = SmearBits(range);
        if (range <= uint.MaxValue)
        {
            uint value;
            while ((value = NextUInt32() & (uint)mask) > range)
            {
            }
            return value;
        }

        ulong wide;
        while ((wide = NextUInt64() & mask) > range)
        {
        }
        return wide;
    }

    private ulong NextUInt64() => ((ulong)NextUInt32() << 32) | NextUInt32();

    private static ulong SmearBits(ulong value)
    {
        value |= value >> 1;
        value |= value >> 2;
        value |= value >> 4;
        value |= value >> 8;
        value |= value >> 16;
        value |= value >> 32;
        return value;
    }
}
