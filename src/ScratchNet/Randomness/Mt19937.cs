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

    // The twist: the next 624 words of state at once, as the reference implementation does.
    private void Regenerate()
    {
        uint y;
        int k;
        for (k = 0; k < StateLength - Shift; k++)
        {
            y = (_state[k] & UpperMask) | (_state[k + 1] & LowerMask);
            _state[k] = _state[k + Shift] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0u);
        }
        for (; k < StateLength - 1; k++)
        {
            y = (_state[k] & UpperMask) | (_state[k + 1] & LowerMask);
            _state[k] = _state[k + Shift - StateLength] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0u);
        }
        y = (_state[StateLength - 1] & UpperMask) | (_state[0] & LowerMask);
        _state[StateLength - 1] = _state[Shift - 1] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0u);
        _position = 0;
    }
}
