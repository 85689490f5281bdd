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
/// Every block of L, the last partial one included, is one <see cref="Vector512{T}"/> operation; where the hardware
/// has no 512-bit vectors the runtime runs it as two 256-bit or four 128-bit operations on the same lanes, so the bits
/// do not depend on the width. In the partial block the lanes past the end keep their accumulator (a select, not an
/// add of zeros: fma(0, 0, −0) would turn a lane's −0 into +0). Vector512.GetLower + GetUpper is exactly the halving
/// step.
/// </summary>
internal static class CanonicalReduction
{
    /// <summary>L, the number of virtual lanes for T.</summary>
    public static int Lanes<T>() where T : unmanaged => Vector512<T>.Count;

    /// <summary>All-ones in lanes l &lt; count (0 ≤ count ≤ L): the lanes a partial block of count elements updates.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LeadingLanes<T>(int count) where T : unmanaged, IFloatingPointIeee754<T>
        => Vector512.LessThan(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(count)));

    /// <summary>x · y in the canonical order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        => Dot(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), x.Length);

    /// <summary>Σ x in the canonical order.</summary>
    [SkipLocalsInit]
    public static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Length, lanes = Vector512<T>.Count, i = 0;
        ref T first = ref MemoryMarshal.GetReference(x);
        var acc = Vector512<T>.Zero;
        for (; i + lanes <= n; i += lanes)
            acc += Vector512.LoadUnsafe(ref first, (nuint)i);
        if (i < n)
        {
            Span<T> tail = stackalloc T[16];
            tail.Clear();
            x[i..].CopyTo(tail);
            var block = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(tail));
            acc = Vector512.ConditionalSelect(LeadingLanes<T>(n - i), acc + block, acc);
        }
        return Combine(acc);
    }

    /// <summary>Σ of n elements from x in the canonical order, where x may be read up to the next multiple of L (the
    /// values past n are ignored).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SumReadingPast<T>(ref T x, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector512<T>.Count, i = 0;
        var acc = Vector512<T>.Zero;
        for (; i + lanes <= n; i += lanes)
            acc += Vector512.LoadUnsafe(ref x, (nuint)i);
        if (i < n)
            acc = Vector512.ConditionalSelect(LeadingLanes<T>(n - i), acc + Vector512.LoadUnsafe(ref x, (nuint)i), acc);
        return Combine(acc);
    }

    /// <summary>The dot product of n elements from x and y in the canonical order (reads nothing past n).</summary>
    [SkipLocalsInit]
    public static T Dot<T>(ref T x, ref T y, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector512<T>.Count, full = n - n % lanes;
        var acc = FullBlocks(ref x, ref y, full, Vector512<T>.Zero);
        if (full == n)
            return Combine(acc);
        Span<T> tails = stackalloc T[32];
        tails.Clear();
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref x, full), n - full).CopyTo(tails);
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref y, full), n - full).CopyTo(tails[lanes..]);
        ref T t = ref MemoryMarshal.GetReference(tails);
        return Combine(PartialBlock(Vector512.LoadUnsafe(ref t), Vector512.LoadUnsafe(ref t, (nuint)lanes), acc, LeadingLanes<T>(n - full)));
    }

    /// <summary>
    /// The dot product of n elements from x and y in the canonical order, where both may be read up to the next
    /// multiple of L (the following values are ignored): a row of a matrix that is not its last.
    /// <paramref name="tailMask"/> is <see cref="LeadingLanes{T}"/>(n mod L).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> DotLanesReadingPast<T>(ref T x, ref T y, int n, Vector512<T> tailMask)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int full = n - n % Vector512<T>.Count;
        var acc = FullBlocks(ref x, ref y, full, Vector512<T>.Zero);
        if (full == n)
            return acc;
        return PartialBlock(Vector512.LoadUnsafe(ref x, (nuint)full), Vector512.LoadUnsafe(ref y, (nuint)full), acc, tailMask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> FullBlocks<T>(ref T x, ref T y, int full, Vector512<T> acc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < full; i += Vector512<T>.Count)
            acc = Fma(Vector512.LoadUnsafe(ref x, (nuint)i), Vector512.LoadUnsafe(ref y, (nuint)i), acc);
        return acc;
    }

    /// <summary>The last, partial block: lanes in <paramref name="mask"/> take fma(x, y, acc), the others keep acc.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> PartialBlock<T>(Vector512<T> x, Vector512<T> y, Vector512<T> acc, Vector512<T> mask)
        where T : unmanaged
        => Vector512.ConditionalSelect(mask, Fma(x, y, acc), acc);

    /// <summary>The halving combination of L lanes held in a vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Combine<T>(Vector512<T> lanes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector256<T> half = lanes.GetLower() + lanes.GetUpper();
        Vector128<T> quarter = half.GetLower() + half.GetUpper();
        if (Vector128<T>.Count == 2)
            return quarter.GetElement(0) + quarter.GetElement(1);
        return (quarter.GetElement(0) + quarter.GetElement(2)) + (quarter.GetElement(1) + quarter.GetElement(3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fma<T>(Vector512<T> a, Vector512<T> b, Vector512<T> addend) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), addend.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), addend.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }
}
