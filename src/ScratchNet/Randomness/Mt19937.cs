using System.Numerics;

namespace ScratchNet.Randomness;

/// <summary>
/// The Mersenne Twister MT19937 (Matsumoto and Nishimura, 1998) with its 32-bit tempered output: the generator behind
/// both numpy's legacy <c>RandomState</c> and libtorch's CPU generator, which differ only in what they draw from it.
/// Seeded with init_genrand, as both seed it from an integer.
/// </summary>
/// <remarks>Not thread-safe: one instance is one stream, used by one thread.</remarks>
internal sealed class Mt19937
{
    private const int StateLength = 624;
    private const int Shift = 397;
    private const uint MatrixA = 0x9908b0df;
    private const uint UpperMask = 0x80000000;
    private const uint LowerMask = 0x7fffffff;

    private readonly uint[] _state = new uint[StateLength];
    private int _position;

    public Mt19937(uint seed) => Seed(seed);

    /// <summary>init_genrand(seed): the state numpy's <c>RandomState(seed)</c> and libtorch's <c>manual_seed(seed)</c> start from.</summary>
    public void Seed(uint seed)
    {
        _state[0] = seed;
        for (var i = 1; i < StateLength; i++)
            _state[i] = 1812433253u * (_state[i - 1] ^ (_state[i - 1] >> 30)) + (uint)i;
        _position = StateLength;
    }

    /// <summary>The next tempered 32-bit output.</summary>
    public uint Next()
    {
        if (_position >= StateLength)
            Regenerate();
        var y = _state[_position++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >> 18;
        return y;
    }

    /// <summary>
    /// The next <paramref name="destination"/>.Length tempered outputs, in order: the same values as that many
    /// <see cref="Next"/> calls (the tempering is lane-wise integer arithmetic, so vectors do not change it).
    /// </summary>
    public void Fill(Span<uint> destination)
    {
        var done = 0;
        while (done < destination.Length)
        {
            if (_position >= StateLength)
                Regenerate();
            var count = Math.Min(destination.Length - done, StateLength - _position);
            Temper(_state.AsSpan(_position, count), destination.Slice(done, count));
            _position += count;
            done += count;
        }
    }

    private static void Temper(ReadOnlySpan<uint> state, Span<uint> output)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var (b, c) = (new Vector<uint>(0x9d2c5680), new Vector<uint>(0xefc60000));
            for (; i <= state.Length - Vector<uint>.Count; i += Vector<uint>.Count)
            {
                var y = new Vector<uint>(state[i..]);
                y ^= y >>> 11;
                y ^= (y << 7) & b;
                y ^= (y << 15) & c;
                y ^= y >>> 18;
                y.CopyTo(output[i..]);
            }
        }
        for (; i < state.Length; i++)
        {
            var y = state[i];
            y ^= y >> 11;
            y ^= (y << 7) & 0x9d2c5680;
            y ^= (y << 15) & 0xefc60000;
            y ^= y >> 18;
            output[i] = y;
        }
    }

    /// <summary>Skips <paramref name="count"/> outputs (a replay of draws whose values are not needed): no tempering.</summary>
    public void Discard(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        for (long i = 0; i < count; i++)
        {
            if (_position >= StateLength)
                Regenerate();
            _position++;
        }
    }

    // The twist: the next 624 words of state at once, as the reference implementation does. Each word reads its own
    // and the next word's old value and the word 397 ahead (old in the first part, already new in the second, 227
    // behind): a vector of consecutive words reads the same values as the word-by-word loop, so lanes do not change it.
    private void Regenerate()
    {
        var state = _state.AsSpan();
        var k = Twist(state, 0, StateLength - Shift, Shift);
        for (; k < StateLength - Shift; k++)
            state[k] = TwistWord(state[k], state[k + 1], state[k + Shift]);
        k = Twist(state, StateLength - Shift, StateLength - 1, Shift - StateLength);
        for (; k < StateLength - 1; k++)
            state[k] = TwistWord(state[k], state[k + 1], state[k + Shift - StateLength]);
        state[StateLength - 1] = TwistWord(state[StateLength - 1], state[0], state[Shift - 1]);
        _position = 0;
    }

    // words [from, to) in vectors as far as they fit; returns where the scalar loop goes on
    private static int Twist(Span<uint> state, int from, int to, int offset)
    {
        var k = from;
        if (!Vector.IsHardwareAccelerated)
            return k;
        var (upper, lower, one, matrix) = (new Vector<uint>(UpperMask), new Vector<uint>(LowerMask), Vector<uint>.One, new Vector<uint>(MatrixA));
        for (; k <= to - Vector<uint>.Count; k += Vector<uint>.Count)
        {
            var y = (new Vector<uint>(state[k..]) & upper) | (new Vector<uint>(state[(k + 1)..]) & lower);
            var odd = Vector.Equals(y & one, one); // all bits set where y is odd
            (new Vector<uint>(state[(k + offset)..]) ^ (y >>> 1) ^ (odd & matrix)).CopyTo(state[k..]);
        }
        return k;
    }

    private static uint TwistWord(uint current, uint next, uint ahead)
    {
        var y = (current & UpperMask) | (next & LowerMask);
        return ahead ^ (y >> 1) ^ ((0u - (y & 1)) & MatrixA);
    }
}
