using System.Numerics;
using System.Runtime.CompilerServices;

namespace ScratchNet.Tensors.Internals;

/// <summary>
/// exp, log and tanh computed by ScratchNet itself, so their bits are the same on every machine: .NET's Math.Exp
/// calls the C library (whose code differs between libraries and is chosen per CPU), and TensorPrimitives.Exp/Tanh
/// change their code with the vector width. Everything here is IEEE add, multiply, divide and fused multiply-add
/// (always fused, see <see cref="ISimd{T, TVec}.MultiplyAdd"/>) in a fixed order, evaluated in double; float inputs
/// are widened and the result rounded once to float. Accuracy against Math (measured by TranscendentalsTests and
/// listed in docs/kernels.md): exp ≤ 1 ulp, log ≤ 1 ulp, tanh ≤ 4 ulp in double; float results are within 1 ulp
/// of Math's double result rounded to float.
/// </summary>
internal static class Transcendentals
{
    private const double Log2E = 1.4426950408889634;
    // ln 2 split so that n·Ln2Hi is exact for |n| < 2^11 (fdlibm's split)
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double ExpOverflow = 709.782712893384;
    private const double ExpUnderflow = -745.1332191019412;

    /// <summary>e^x.</summary>
    public static double Exp(double x)
    {
        if (double.IsNaN(x))
            return x;
        if (x > ExpOverflow)
            return double.PositiveInfinity;
        if (x < ExpUnderflow)
            return 0;
        double n = Reduce(x, out double r);
        return Scale(1 + Expm1Reduced(r), (int)n);
    }

    /// <summary>tanh x = expm1(2|x|) / (expm1(2|x|) + 2), with the sign of x.</summary>
    public static double Tanh(double x)
    {
        double a = Math.Abs(x);
        if (!(a < 22)) // tanh(22) rounds to 1; NaN stays NaN
            return double.IsNaN(x) ? x : Math.CopySign(1.0, x);
        if (a < 3.725290298461914e-9)
            return x;
        double e = Expm1(2 * a);
        return Math.CopySign(e / (e + 2), x);
    }

    /// <summary>The natural logarithm (fdlibm's reduction and polynomial).</summary>
    public static double Log(double x)
    {
        if (!(x > 0))
            return x == 0 ? double.NegativeInfinity : double.NaN;
        if (double.IsPositiveInfinity(x))
            return x;
        long bits = BitConverter.DoubleToInt64Bits(x);
        int k = 0;
        if (bits < 0x0010000000000000L) // subnormal: scale into the normal range first
        {
            x *= 18014398509481984.0; // 2^54
            k = -54;
            bits = BitConverter.DoubleToInt64Bits(x);
        }
        k += (int)(bits >> 52) - 1023;
        long mantissa = bits & 0x000fffffffffffffL;
        // m in [√2/2, √2): take the exponent one higher when the mantissa is above √2
        if (mantissa > 0x6a09e667f3bcdL)
        {
            k++;
            mantissa |= 0x3fe0000000000000L;
        }
        else
        {
            mantissa |= 0x3ff0000000000000L;
        }
        double f = BitConverter.Int64BitsToDouble(mantissa) - 1;
        double s = f / (2 + f);
        double z = s * s;
        double w = z * z;
        double t1 = w * Fma(w, Fma(w, Lg6, Lg4), Lg2);
        double t2 = z * Fma(w, Fma(w, Fma(w, Lg7, Lg5), Lg3), Lg1);
        double r = t2 + t1;
        double hfsq = 0.5 * f * f;
        double dk = k;
        return dk * Ln2Hi - ((hfsq - (s * (hfsq + r) + dk * Ln2Lo)) - f);
    }

    private const double Lg1 = 6.666666666666735130e-01;
    private const double Lg2 = 3.999999999940941908e-01;
    private const double Lg3 = 2.857142874366239149e-01;
    private const double Lg4 = 2.222219843214978396e-01;
    private const double Lg5 = 1.818357216161805012e-01;
    private const double Lg6 = 1.531383769920937332e-01;
    private const double Lg7 = 1.479819860511658591e-01;

    /// <summary>e^x − 1 for 0 ≤ x &lt; 44 (what tanh needs), accurate near 0.</summary>
    private static double Expm1(double x)
    {
        double n = Reduce(x, out double r);
        double q = Expm1Reduced(r);
        if (n == 0)
            return q;
        double scale = Scale(1, (int)n);
        return Fma(scale, q, scale - 1); // 2^n·(e^r − 1) + (2^n − 1), rounded once
    }

    // x = n·ln 2 + r with n an integer (ties to even) and |r| ≤ ln 2 / 2 (plus rounding)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Reduce(double x, out double r)
    {
        double n = Math.Round(x * Log2E, MidpointRounding.ToEven);
        r = Fma(-n, Ln2Lo, Fma(-n, Ln2Hi, x));
        return n;
    }

    // e^r − 1 = r + r²·(1/2! + r/3! + … + r^11/13!) for |r| ≤ 0.35: the first dropped term is below 2^-60 of the sum
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Expm1Reduced(double r)
    {
        double p = Fma(r, 1.0 / 6227020800, 1.0 / 479001600);
        p = Fma(r, p, 1.0 / 39916800);
        p = Fma(r, p, 1.0 / 3628800);
        p = Fma(r, p, 1.0 / 362880);
        p = Fma(r, p, 1.0 / 40320);
        p = Fma(r, p, 1.0 / 5040);
        p = Fma(r, p, 1.0 / 720);
        p = Fma(r, p, 1.0 / 120);
        p = Fma(r, p, 1.0 / 24);
        p = Fma(r, p, 1.0 / 6);
        p = Fma(r, p, 0.5);
        return Fma(r * r, p, r);
    }

    // value·2^n for n in [-1075, 1024], in at most two exact power-of-two steps
    private static double Scale(double value, int n)
    {
        if (n > 1023)
            return value * Pow2(1023) * Pow2(n - 1023);
        if (n < -1022)
            return value * Pow2(-1022) * Pow2(Math.Max(n + 1022, -1022));
        return value * Pow2(n);
    }

    private static double Pow2(int n) => BitConverter.Int64BitsToDouble((long)(n + 1023) << 52);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Fma(double a, double b, double c) => Math.FusedMultiplyAdd(a, b, c);

    /// <summary>e^x in T (float is computed in double and rounded once).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exp<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
        => T.CreateTruncating(Exp(double.CreateTruncating(x)));

    /// <summary>log x in T.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
        => T.CreateTruncating(Log(double.CreateTruncating(x)));

    /// <summary>tanh x in T.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Tanh<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
        => T.CreateTruncating(Tanh(double.CreateTruncating(x)));

    /// <summary>destination[i] = e^x[i]; destination may be x itself.</summary>
    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.IfLengthNot(destination.Length, x.Length, nameof(destination));
        ThrowHelper.IfPartialOverlap(x, destination, nameof(x));
        for (int i = 0; i < x.Length; i++)
            destination[i] = Exp(x[i]);
    }

    /// <summary>destination[i] = tanh x[i]; destination may be x itself.</summary>
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.IfLengthNot(destination.Length, x.Length, nameof(destination));
        ThrowHelper.IfPartialOverlap(x, destination, nameof(x));
        for (int i = 0; i < x.Length; i++)
            destination[i] = Tanh(x[i]);
    }
}
