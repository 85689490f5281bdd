using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors.Internals;

/// <summary>
/// Sums and dot products in one arithmetic order on every machine (docs/kernels.md, "Reductions"):
/// <list type="number">
/// <item>L virtual lanes, L = 64 bytes / sizeof(T) (16 float, 8 double): lane l accumulates elements i ≡ l (mod L) in
/// increasing i, from +0, with a fused multiply-add (dot) or an add (sum);</item>
/// <item>the lanes are combined by halving: lane l += lane l + L/2, then l + L/4, …, down to lane 0.</item>
/// </list>
/// Every block of L, the last partial one included, is one step on all L lanes, held in one Vector512, two Vector256
/// or four Vector128 (<see cref="ICanonicalLanes{T, TSelf}"/>: whichever the hardware accelerates, tests run all three),
/// so the bits do not depend on the width. In the partial block the lanes past the end keep their accumulator (a
/// select, not an add of zeros: fma(0, 0, −0) would turn a lane's −0 into +0).
/// </summary>
internal static class CanonicalReduction
{
    /// <summary>L, the number of virtual lanes for T.</summary>
    public static int Lanes<T>() where T : unmanaged => Vector512<T>.Count;

    /// <summary>The width (512, 256 or 128 bits) whose lanes type the reductions run on by default.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int HardwareBits<T>() where T : unmanaged => SimdWidth.HardwareBits<T>();

    /// <summary>x · y in the canonical order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        => Dot(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), x.Length);

    /// <summary>The dot product of n elements from x and y in the canonical order (reads nothing past n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Dot<T>(ref T x, ref T y, int n) where T : unmanaged, IFloatingPointIeee754<T>
        => Dot(ref x, ref y, n, HardwareBits<T>());

    /// <summary>As <see cref="Dot{T}(ref T, ref T, int)"/> on the lanes of <paramref name="bits"/> (tests).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Dot<T>(ref T x, ref T y, int n, int bits) where T : unmanaged, IFloatingPointIeee754<T>
        => bits == 512 ? Dot<T, Lanes512<T>>(ref x, ref y, n)
            : bits == 256 ? Dot<T, Lanes256<T>>(ref x, ref y, n)
            : Dot<T, Lanes128<T>>(ref x, ref y, n);

    /// <summary>Σ x in the canonical order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Sum(x, HardwareBits<T>());

    /// <summary>As <see cref="Sum{T}(ReadOnlySpan{T})"/> on the lanes of <paramref name="bits"/> (tests).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum<T>(ReadOnlySpan<T> x, int bits) where T : unmanaged, IFloatingPointIeee754<T>
        => bits == 512 ? Sum<T, Lanes512<T>>(x) : bits == 256 ? Sum<T, Lanes256<T>>(x) : Sum<T, Lanes128<T>>(x);

    /// <summary>Σ of n elements from x in the canonical order, where x may be read up to the next multiple of L (the
    /// values past n are ignored).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SumReadingPast<T>(ref T x, int n) where T : unmanaged, IFloatingPointIeee754<T>
        => SumReadingPast(ref x, n, HardwareBits<T>());

    /// <summary>As <see cref="SumReadingPast{T}(ref T, int)"/> on the lanes of <paramref name="bits"/> (tests).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SumReadingPast<T>(ref T x, int n, int bits) where T : unmanaged, IFloatingPointIeee754<T>
        => bits == 512 ? SumReadingPast<T, Lanes512<T>>(ref x, n)
            : bits == 256 ? SumReadingPast<T, Lanes256<T>>(ref x, n)
            : SumReadingPast<T, Lanes128<T>>(ref x, n);

    [SkipLocalsInit]
    public static T Sum<T, TLanes>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLanes : struct, ICanonicalLanes<T, TLanes>
    {
        int n = x.Length, lanes = Vector512<T>.Count, i = 0;
        ref T first = ref MemoryMarshal.GetReference(x);
        var acc = TLanes.Zero;
        for (; i + lanes <= n; i += lanes)
            acc = TLanes.Add(acc, TLanes.Load(ref first, (nuint)i));
        if (i < n)
        {
            Span<T> tail = stackalloc T[16];
            tail.Clear();
            x[i..].CopyTo(tail);
            var block = TLanes.Load(ref MemoryMarshal.GetReference(tail), 0);
            acc = TLanes.Select(TLanes.LeadingLanes(n - i), TLanes.Add(acc, block), acc);
        }
        return TLanes.Combine(acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SumReadingPast<T, TLanes>(ref T x, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLanes : struct, ICanonicalLanes<T, TLanes>
    {
        int lanes = Vector512<T>.Count, i = 0;
        var acc = TLanes.Zero;
        for (; i + lanes <= n; i += lanes)
            acc = TLanes.Add(acc, TLanes.Load(ref x, (nuint)i));
        if (i < n)
            acc = TLanes.Select(TLanes.LeadingLanes(n - i), TLanes.Add(acc, TLanes.Load(ref x, (nuint)i)), acc);
        return TLanes.Combine(acc);
    }

    [SkipLocalsInit]
    public static T Dot<T, TLanes>(ref T x, ref T y, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLanes : struct, ICanonicalLanes<T, TLanes>
    {
        int lanes = Vector512<T>.Count, full = n - n % lanes;
        var acc = FullBlocks<T, TLanes>(ref x, ref y, full, TLanes.Zero);
        if (full == n)
            return TLanes.Combine(acc);
        Span<T> tails = stackalloc T[32];
        tails.Clear();
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref x, full), n - full).CopyTo(tails);
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref y, full), n - full).CopyTo(tails[lanes..]);
        ref T t = ref MemoryMarshal.GetReference(tails);
        return TLanes.Combine(PartialBlock<T, TLanes>(TLanes.Load(ref t, 0), TLanes.Load(ref t, (nuint)lanes), acc, TLanes.LeadingLanes(n - full)));
    }

    /// <summary>The lanes of x · y over the full blocks below <paramref name="full"/> (a multiple of L), from acc.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLanes FullBlocks<T, TLanes>(ref T x, ref T y, int full, TLanes acc)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLanes : struct, ICanonicalLanes<T, TLanes>
    {
        for (int i = 0; i < full; i += Vector512<T>.Count)
            acc = TLanes.Fma(TLanes.Load(ref x, (nuint)i), TLanes.Load(ref y, (nuint)i), acc);
        return acc;
    }

    /// <summary>The last, partial block: lanes in <paramref name="mask"/> take fma(x, y, acc), the others keep acc.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLanes PartialBlock<T, TLanes>(TLanes x, TLanes y, TLanes acc, TLanes mask)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLanes : struct, ICanonicalLanes<T, TLanes>
        => TLanes.Select(mask, TLanes.Fma(x, y, acc), acc);
}
