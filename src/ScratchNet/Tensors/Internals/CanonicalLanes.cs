using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Tensors.Internals;

/// <summary>
/// The L virtual lanes of <see cref="CanonicalReduction"/> (L = 64 bytes / sizeof(T)) held in hardware vectors:
/// one <see cref="Vector512{T}"/> (<see cref="Lanes512{T}"/>), two <see cref="Vector256{T}"/> halves
/// (<see cref="Lanes256{T}"/>) or four <see cref="Vector128{T}"/> quarters (<see cref="Lanes128{T}"/>). Every operation
/// is lane-wise and exactly rounded, and <see cref="Combine"/> is the same halving at every width, so the three give
/// the same bits; they differ only in speed: the runtime emulates a Vector512 where the hardware has no 512-bit
/// vectors, and its 64-byte structs do not stay in registers in the register-blocked loops (docs/kernels.md).
/// </summary>
internal interface ICanonicalLanes<T, TSelf>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TSelf : struct, ICanonicalLanes<T, TSelf>
{
    static abstract TSelf Zero { get; }
    /// <summary>L elements from source + offset.</summary>
    static abstract TSelf Load(ref T source, nuint offset);
    /// <summary>x · y + acc per lane, rounded once.</summary>
    static abstract TSelf Fma(TSelf x, TSelf y, TSelf acc);
    static abstract TSelf Add(TSelf x, TSelf y);
    /// <summary>All-ones in lanes l &lt; count (0 ≤ count ≤ L).</summary>
    static abstract TSelf LeadingLanes(int count);
    /// <summary>Per lane: ifTrue where mask is all-ones, else ifFalse.</summary>
    static abstract TSelf Select(TSelf mask, TSelf ifTrue, TSelf ifFalse);
    /// <summary>The halving combination: lane l += lane l + L/2, then + L/4, …, down to lane 0.</summary>
    static abstract T Combine(TSelf lanes);
    /// <summary><see cref="Combine"/> of four accumulators into destination[0..4): the same additions, four at a
    /// time after the first halving (a transpose instead of four horizontal sums).</summary>
    static abstract void Combine4(TSelf c0, TSelf c1, TSelf c2, TSelf c3, ref T destination);
}

/// <summary>The L lanes as one Vector512 (two 256-bit or four 128-bit operations where the runtime emulates it).</summary>
internal readonly struct Lanes512<T> : ICanonicalLanes<T, Lanes512<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Vector512<T> _v;

    private Lanes512(Vector512<T> v) => _v = v;

    public static Lanes512<T> Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512<T> Load(ref T source, nuint offset) => new(Vector512.LoadUnsafe(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512<T> Fma(Lanes512<T> x, Lanes512<T> y, Lanes512<T> acc) => new(CanonicalFma.Of(x._v, y._v, acc._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512<T> Add(Lanes512<T> x, Lanes512<T> y) => new(x._v + y._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512<T> LeadingLanes(int count)
        => new(Vector512.LessThan(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(count))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512<T> Select(Lanes512<T> mask, Lanes512<T> ifTrue, Lanes512<T> ifFalse)
        => new(Vector512.ConditionalSelect(mask._v, ifTrue._v, ifFalse._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Combine(Lanes512<T> lanes) => CanonicalFma.Combine(lanes._v.GetLower() + lanes._v.GetUpper());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Combine4(Lanes512<T> c0, Lanes512<T> c1, Lanes512<T> c2, Lanes512<T> c3, ref T destination)
        => CanonicalFma.Combine4(c0._v.GetLower() + c0._v.GetUpper(), c1._v.GetLower() + c1._v.GetUpper(),
            c2._v.GetLower() + c2._v.GetUpper(), c3._v.GetLower() + c3._v.GetUpper(), ref destination);
}

/// <summary>The L lanes as two Vector256: lanes [0, L/2) and [L/2, L).</summary>
internal readonly struct Lanes256<T> : ICanonicalLanes<T, Lanes256<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Vector256<T> _lo, _hi;

    private Lanes256(Vector256<T> lo, Vector256<T> hi)
    {
        _lo = lo;
        _hi = hi;
    }

    public static Lanes256<T> Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256<T> Load(ref T source, nuint offset)
        => new(Vector256.LoadUnsafe(ref source, offset), Vector256.LoadUnsafe(ref source, offset + (nuint)Vector256<T>.Count));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256<T> Fma(Lanes256<T> x, Lanes256<T> y, Lanes256<T> acc)
        => new(CanonicalFma.Of(x._lo, y._lo, acc._lo), CanonicalFma.Of(x._hi, y._hi, acc._hi));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256<T> Add(Lanes256<T> x, Lanes256<T> y) => new(x._lo + y._lo, x._hi + y._hi);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256<T> LeadingLanes(int count)
        => new(Vector256.LessThan(Vector256<T>.Indices, Vector256.Create(T.CreateTruncating(count))),
            Vector256.LessThan(Vector256<T>.Indices, Vector256.Create(T.CreateTruncating(count - Vector256<T>.Count))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256<T> Select(Lanes256<T> mask, Lanes256<T> ifTrue, Lanes256<T> ifFalse)
        => new(Vector256.ConditionalSelect(mask._lo, ifTrue._lo, ifFalse._lo), Vector256.ConditionalSelect(mask._hi, ifTrue._hi, ifFalse._hi));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Combine(Lanes256<T> lanes) => CanonicalFma.Combine(lanes._lo + lanes._hi);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Combine4(Lanes256<T> c0, Lanes256<T> c1, Lanes256<T> c2, Lanes256<T> c3, ref T destination)
        => CanonicalFma.Combine4(c0._lo + c0._hi, c1._lo + c1._hi, c2._lo + c2._hi, c3._lo + c3._hi, ref destination);
}

/// <summary>The L lanes as four Vector128: lanes [0, L/4), [L/4, L/2), [L/2, 3L/4) and [3L/4, L).</summary>
internal readonly struct Lanes128<T> : ICanonicalLanes<T, Lanes128<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Vector128<T> _a, _b, _c, _d;

    private Lanes128(Vector128<T> a, Vector128<T> b, Vector128<T> c, Vector128<T> d)
    {
        _a = a;
        _b = b;
        _c = c;
        _d = d;
    }

    public static Lanes128<T> Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128<T> Load(ref T source, nuint offset)
    {
        nuint q = (nuint)Vector128<T>.Count;
        return new(Vector128.LoadUnsafe(ref source, offset), Vector128.LoadUnsafe(ref source, offset + q),
            Vector128.LoadUnsafe(ref source, offset + 2 * q), Vector128.LoadUnsafe(ref source, offset + 3 * q));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128<T> Fma(Lanes128<T> x, Lanes128<T> y, Lanes128<T> acc)
        => new(CanonicalFma.Of(x._a, y._a, acc._a), CanonicalFma.Of(x._b, y._b, acc._b),
            CanonicalFma.Of(x._c, y._c, acc._c), CanonicalFma.Of(x._d, y._d, acc._d));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128<T> Add(Lanes128<T> x, Lanes128<T> y) => new(x._a + y._a, x._b + y._b, x._c + y._c, x._d + y._d);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128<T> LeadingLanes(int count)
    {
        int q = Vector128<T>.Count;
        return new(Vector128.LessThan(Vector128<T>.Indices, Vector128.Create(T.CreateTruncating(count))),
            Vector128.LessThan(Vector128<T>.Indices, Vector128.Create(T.CreateTruncating(count - q))),
            Vector128.LessThan(Vector128<T>.Indices, Vector128.Create(T.CreateTruncating(count - 2 * q))),
            Vector128.LessThan(Vector128<T>.Indices, Vector128.Create(T.CreateTruncating(count - 3 * q))));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128<T> Select(Lanes128<T> mask, Lanes128<T> ifTrue, Lanes128<T> ifFalse)
        => new(Vector128.ConditionalSelect(mask._a, ifTrue._a, ifFalse._a), Vector128.ConditionalSelect(mask._b, ifTrue._b, ifFalse._b),
            Vector128.ConditionalSelect(mask._c, ifTrue._c, ifFalse._c), Vector128.ConditionalSelect(mask._d, ifTrue._d, ifFalse._d));

    // the first halving adds lanes [L/2, L) to [0, L/2): quarter c onto a, d onto b; the second adds b onto a
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Combine(Lanes128<T> lanes) => CanonicalFma.Combine((lanes._a + lanes._c) + (lanes._b + lanes._d));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Combine4(Lanes128<T> c0, Lanes128<T> c1, Lanes128<T> c2, Lanes128<T> c3, ref T destination)
        => CanonicalFma.Combine4((c0._a + c0._c) + (c0._b + c0._d), (c1._a + c1._c) + (c1._b + c1._d),
            (c2._a + c2._c) + (c2._b + c2._d), (c3._a + c3._c) + (c3._b + c3._d), ref destination);
}

/// <summary>The fused multiply-add at each width, and the last halving steps shared by every width.</summary>
internal static class CanonicalFma
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Of<T>(Vector512<T> a, Vector512<T> b, Vector512<T> addend) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), addend.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), addend.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Of<T>(Vector256<T> a, Vector256<T> b, Vector256<T> addend) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), addend.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), addend.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Of<T>(Vector128<T> a, Vector128<T> b, Vector128<T> addend) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Vector128.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), addend.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector128.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), addend.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>The halving steps after the first: the L/2 lanes held in a Vector256 down to lane 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Combine<T>(Vector256<T> half) where T : unmanaged, IFloatingPointIeee754<T>
        => Combine(half.GetLower() + half.GetUpper());

    /// <summary><see cref="Combine{T}(Vector256{T})"/> of four, into destination[0..4).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Combine4<T>(Vector256<T> h0, Vector256<T> h1, Vector256<T> h2, Vector256<T> h3, ref T destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Combine4(h0.GetLower() + h0.GetUpper(), h1.GetLower() + h1.GetUpper(), h2.GetLower() + h2.GetUpper(),
            h3.GetLower() + h3.GetUpper(), ref destination);

    /// <summary><see cref="Combine{T}(Vector128{T})"/> of four quarters q0…q3, into destination[0..4): float's
    /// (q[0] + q[2]) + (q[1] + q[3]) and double's q[0] + q[1] on the transposed quarters, four (two) at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Combine4<T>(Vector128<T> q0, Vector128<T> q1, Vector128<T> q2, Vector128<T> q3, ref T destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && Sse.IsSupported)
        {
            Vector128<float> a0 = q0.AsSingle(), a1 = q1.AsSingle(), a2 = q2.AsSingle(), a3 = q3.AsSingle();
            Vector128<float> t0 = Sse.UnpackLow(a0, a1), t1 = Sse.UnpackHigh(a0, a1); // q0_0 q1_0 q0_1 q1_1 | q0_2 q1_2 q0_3 q1_3
            Vector128<float> t2 = Sse.UnpackLow(a2, a3), t3 = Sse.UnpackHigh(a2, a3);
            Vector128<float> lane0 = Sse.MoveLowToHigh(t0, t2), lane1 = Sse.MoveHighToLow(t2, t0); // qi_0 / qi_1 for i = 0…3
            Vector128<float> lane2 = Sse.MoveLowToHigh(t1, t3), lane3 = Sse.MoveHighToLow(t3, t1);
            ((lane0 + lane2) + (lane1 + lane3)).As<float, T>().StoreUnsafe(ref destination);
            return;
        }
        if (typeof(T) == typeof(double) && Sse2.IsSupported)
        {
            Vector128<double> a0 = q0.AsDouble(), a1 = q1.AsDouble(), a2 = q2.AsDouble(), a3 = q3.AsDouble();
            (Sse2.UnpackLow(a0, a1) + Sse2.UnpackHigh(a0, a1)).As<double, T>().StoreUnsafe(ref destination);
            (Sse2.UnpackLow(a2, a3) + Sse2.UnpackHigh(a2, a3)).As<double, T>().StoreUnsafe(ref Unsafe.Add(ref destination, 2));
            return;
        }
        destination = Combine(q0);
        Unsafe.Add(ref destination, 1) = Combine(q1);
        Unsafe.Add(ref destination, 2) = Combine(q2);
        Unsafe.Add(ref destination, 3) = Combine(q3);
    }

    /// <summary>The halving steps from L/4 lanes (a Vector128) down to lane 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Combine<T>(Vector128<T> quarter) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector128<T>.Count == 2)
            return quarter.GetElement(0) + quarter.GetElement(1);
        return (quarter.GetElement(0) + quarter.GetElement(2)) + (quarter.GetElement(1) + quarter.GetElement(3));
    }
}
