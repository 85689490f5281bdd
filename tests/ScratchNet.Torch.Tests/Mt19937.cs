namespace ScratchNet.Torch.Tests;

/// <summary>
/// Reference MT19937 (Matsumoto and Nishimura's init_genrand + genrand_int32), the engine behind libtorch's CPU generator:
/// manual_seed(s) seeds it with the low 32 bits of s; random() is one output, random64() is (first &lt;&lt; 32) | second.
/// </summary>
internal sealed class Mt19937
{
    private const int N = 624;
    private const int M = 397;
    private readonly uint[] _state = new uint[N];
    private int _index;

    public Mt19937(ulong seed)
    {
        _state[0] = (uint)seed;
        for (int i = 1; i < N; i++)
            _state[i] = (uint)((1812433253u * (_state[i - 1] ^ (_state[i - 1] >> 30))) + (uint)i);
        _index = N;
    }

    public uint Next()
    {
        if (_index >= N)
            Twist();
        uint y = _state[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    public ulong Next64()
    {
        ulong high = Next();
        return (high << 32) | Next();
    }

    private void Twist()
    {
        for (int i = 0; i < N; i++)
        {
            uint y = (_state[i] & 0x80000000u) | (_state[(i + 1) % N] & 0x7fffffffu);
            _state[i] = _state[(i + M) % N] ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908b0dfu : 0u);
        }
        _index = 0;
    }
}
