using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
    // below this tanh x rounds to x
    private const double SmallTanh = 3.725290298461914e-9;

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
        if (a < SmallTanh)
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

    /// <summary>destination[i] = e^x[i]; destination may be x itself. Each element has <see cref="Exp(double)"/>'s
    /// bits: the vector path runs the same operations per lane.</summary>
    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.IfLengthNot(destination.Length, x.Length, nameof(destination));
        ThrowHelper.IfPartialOverlap(x, destination, nameof(x));
        Map<T, ExpLanes>(x, destination);
    }

    /// <summary>destination[i] = tanh x[i]; destination may be x itself. Each element has <see cref="Tanh(double)"/>'s
    /// bits: the vector path runs the same operations per lane.</summary>
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.IfLengthNot(destination.Length, x.Length, nameof(destination));
        ThrowHelper.IfPartialOverlap(x, destination, nameof(x));
        Map<T, TanhLanes>(x, destination);
    }

    /// <summary>A function evaluated on four doubles at once, with the scalar function for lanes it cannot take.</summary>
    private interface ILanes
    {
        /// <summary>f per lane; <paramref name="exact"/> false when some lane needs <see cref="Scalar"/> instead.</summary>
        static abstract Vector256<double> Run(Vector256<double> x, out bool exact);
        static abstract double Scalar(double x);
    }

    private readonly struct ExpLanes : ILanes
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Run(Vector256<double> x, out bool exact)
        {
            // Exp's steps; the lanes it scales in one multiply are those with n in [-1022, 1023], which excludes
            // NaN, x > ExpOverflow (n = 1024) and x < ExpUnderflow (n < -1074): the rest go to the scalar code
            var n = Vector256.Round(x * Vector256.Create(Log2E));
            exact = Vector256.GreaterThanOrEqualAll(n, Vector256.Create(-1022.0)) && Vector256.LessThanOrEqualAll(n, Vector256.Create(1023.0));
            var r = Fma(-n, Vector256.Create(Ln2Lo), Fma(-n, Vector256.Create(Ln2Hi), x));
            return (Vector256<double>.One + Expm1Reduced(r)) * Pow2(n);
        }

        public static double Scalar(double x) => Exp(x);
    }

    private readonly struct TanhLanes : ILanes
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Run(Vector256<double> x, out bool exact)
        {
            exact = true;
            var a = Vector256.Abs(x);
            // Expm1(2a) for 0 ≤ 2a < 44 (lanes outside are selected away below)
            var twice = Vector256.Create(2.0) * a;
            var n = Vector256.Round(twice * Vector256.Create(Log2E));
            var r = Fma(-n, Vector256.Create(Ln2Lo), Fma(-n, Vector256.Create(Ln2Hi), twice));
            var q = Expm1Reduced(r);
            var scale = Pow2(Vector256.Min(Vector256.Max(n, Vector256<double>.Zero), Vector256.Create(1023.0)));
            var e = Vector256.ConditionalSelect(Vector256.Equals(n, Vector256<double>.Zero), q, Fma(scale, q, scale - Vector256<double>.One));
            var result = CopySign(e / (e + Vector256.Create(2.0)), x);
            result = Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(SmallTanh)), x, result);
            var saturated = Vector256.ConditionalSelect(Vector256.Equals(x, x), CopySign(Vector256<double>.One, x), x);
            return Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(22.0)), result, saturated);
        }

        public static double Scalar(double x) => Tanh(x);
    }

    // Maps f over x: four doubles (or eight floats widened to two sets of four) per step where 256-bit vectors are
    // accelerated, the partial last block through a zero-padded copy; otherwise (and for a block with a lane the
    // vector code cannot take) the scalar function. Either way every element gets the scalar function's bits.
    [SkipLocalsInit]
    private static void Map<T, TLanes>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLanes : ILanes
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated && typeof(T) == typeof(double))
        {
            ReadOnlySpan<double> xs = MemoryMarshal.Cast<T, double>(x);
            Span<double> ds = MemoryMarshal.Cast<T, double>(destination);
            for (; i + 4 <= xs.Length; i += 4)
                Store<TLanes>(Vector256.Create(xs[i..]), ds.Slice(i, 4));
            if (i < xs.Length)
            {
                Span<double> block = stackalloc double[4];
                block.Clear();
                xs[i..].CopyTo(block);
                Store<TLanes>(Vector256.Create((ReadOnlySpan<double>)block), block);
                block[..(xs.Length - i)].CopyTo(ds[i..]);
            }
            return;
        }
        if (Vector256.IsHardwareAccelerated && typeof(T) == typeof(float))
        {
            ReadOnlySpan<float> xs = MemoryMarshal.Cast<T, float>(x);
            Span<float> ds = MemoryMarshal.Cast<T, float>(destination);
            for (; i + 8 <= xs.Length; i += 8)
                Store<TLanes>(Vector256.Create(xs[i..]), ds.Slice(i, 8));
            if (i < xs.Length)
            {
                Span<float> block = stackalloc float[8];
                block.Clear();
                xs[i..].CopyTo(block);
                Store<TLanes>(Vector256.Create((ReadOnlySpan<float>)block), block);
                block[..(xs.Length - i)].CopyTo(ds[i..]);
            }
            return;
        }
        for (; i < x.Length; i++)
            destination[i] = T.CreateTruncating(TLanes.Scalar(double.CreateTruncating(x[i])));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TLanes>(Vector256<double> x, Span<double> destination) where TLanes : ILanes
    {
        var y = TLanes.Run(x, out bool exact);
        if (exact)
        {
            y.CopyTo(destination);
            return;
        }
        for (int l = 0; l < 4; l++)
            destination[l] = TLanes.Scalar(x.GetElement(l));
    }

    // float lanes are widened to double (exact), computed, and narrowed (rounded to nearest once), as the scalar T overloads
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TLanes>(Vector256<float> x, Span<float> destination) where TLanes : ILanes
    {
        var (lower, upper) = Vector256.Widen(x);
        var y0 = TLanes.Run(lower, out bool exact0);
        var y1 = TLanes.Run(upper, out bool exact1);
        if (exact0 && exact1)
        {
            Vector256.Narrow(y0, y1).CopyTo(destination);
            return;
        }
        for (int l = 0; l < 8; l++)
            destination[l] = (float)TLanes.Scalar(x.GetElement(l));
    }

    // the scalar Expm1Reduced, lane by lane
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Expm1Reduced(Vector256<double> r)
    {
        var p = Fma(r, Vector256.Create(1.0 / 6227020800), Vector256.Create(1.0 / 479001600));
        p = Fma(r, p, Vector256.Create(1.0 / 39916800));
        p = Fma(r, p, Vector256.Create(1.0 / 3628800));
        p = Fma(r, p, Vector256.Create(1.0 / 362880));
        p = Fma(r, p, Vector256.Create(1.0 / 40320));
        p = Fma(r, p, Vector256.Create(1.0 / 5040));
        p = Fma(r, p, Vector256.Create(1.0 / 720));
        p = Fma(r, p, Vector256.Create(1.0 / 120));
        p = Fma(r, p, Vector256.Create(1.0 / 24));
        p = Fma(r, p, Vector256.Create(1.0 / 6));
        p = Fma(r, p, Vector256.Create(0.5));
        return Fma(r * r, p, r);
    }

    // 2^n for integral n in [-1022, 1023]: n + 1023 + 2^52 is exact and holds n + 1023 in its low bits
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Pow2(Vector256<double> n)
        => Vector256.ShiftLeft((n + Vector256.Create(4503599627371519.0)).AsInt64(), 52).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> CopySign(Vector256<double> magnitude, Vector256<double> sign)
    {
        var signBit = Vector256.Create(-0.0);
        return Vector256.AndNot(magnitude, signBit) | (sign & signBit);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Fma(Vector256<double> a, Vector256<double> b, Vector256<double> c)
        => Vector256.FusedMultiplyAdd(a, b, c);
}
