namespace ScratchNet.Randomness;

/// <summary>
/// Intel MKL's <c>viRngBernoulli(VSL_RNG_METHOD_BERNOULLI_ICDF)</c> on a <c>VSL_BRNG_MCG31</c> stream, in managed code:
/// what the official (MKL) build of libtorch runs for <c>bernoulli_(p)</c> with a scalar p on an Intel CPU, and so what
/// drew the course's dropout masks. MCG31m1 is the multiplicative congruential generator x_{k+1} = a·x_k mod m with
/// a = 1132489760 and m = 2^31 − 1; <c>vslNewStream(seed)</c> starts at x_0 = seed mod m (1 when that is 0), and element
/// k of the output is 1 when <c>(float)(x_k / m)</c>, the quotient in double rounded to float, is below <c>(float)p</c>.
/// </summary>
/// <remarks>
/// Checked against MKL itself (Debian's libmkl-rt 2020.4, tests/ScratchNet.Tests/TestData/make_mkl_bernoulli_vectors.c):
/// over the whole period of the stream (all 2^31 − 2 states) for p = 0.7 and 0.5 (and for 0.7 under MKL's SSE4.2 and
/// "compatible" code paths too), this rule and MKL agree on every state; comparing in double instead would differ on 89
/// states for p = 0.7 and 32 for p = 0.5. A chunk that libtorch's parallel loop starts at element b skips the stream
/// ahead by b (<c>vslSkipAheadStream</c>), so the mask is this one sequence whatever the chunking.
/// </remarks>
public static class Mcg31Bernoulli
{
    /// <summary>m = 2^31 − 1, the MCG31m1 modulus (a Mersenne prime).</summary>
    public const uint Modulus = 2147483647;

    /// <summary>a, the MCG31m1 multiplier.</summary>
    public const uint Multiplier = 1132489760;

    /// <summary>x_0 of <c>vslNewStream(VSL_BRNG_MCG31, seed)</c>: seed mod m, or 1 when that is 0.</summary>
    public static uint Start(uint seed)
    {
        var x = seed % Modulus;
        return x == 0 ? 1 : x;
    }

    /// <summary>x_{k+1} = a·x_k mod m, reduced without a division (2^31 ≡ 1 mod m).</summary>
    public static uint Next(uint x)
    {
        var product = (ulong)x * Multiplier;
        var sum = (product & Modulus) + (product >> 31);
        return (uint)(sum >= Modulus ? sum - Modulus : sum);
    }

    /// <summary>Bernoulli ICDF's test for one state: the state as a uniform in (0, 1), rounded to float, below p as a float.</summary>
    public static bool Success(uint x, float p) => (float)(x / (double)Modulus) < p;

    /// <summary>
    /// <c>viRngBernoulli(ICDF, stream, n, r, p)</c> on a stream just made from <paramref name="seed"/>, element k of
    /// <paramref name="destination"/> set to <paramref name="success"/> or <paramref name="failure"/>.
    /// </summary>
    public static void Fill<T>(uint seed, double p, Span<T> destination, T success, T failure)
    {
        var threshold = (float)p;
        var x = Start(seed);
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = Success(x, threshold) ? success : failure;
            x = Next(x);
        }
    }
}
