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
/// The full blocks of L are one <see cref="Vector512{T}"/> operation each; where the hardware has no 512-bit vectors the
/// runtime runs it as two 256-bit or four 128-bit operations on the same lanes, so the bits do not depend on the width.
/// The last, partial block goes lane by lane in scalar code. Vector512.GetLower + GetUpper is exactly
/// the halving step, so the combination is the same in vector and in scalar code.
/// </summary>
internal static class CanonicalReduction
{
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
        Span<T> partial = stackalloc T[16];
        if (n >= lanes)
        {
            var acc = Vector512<T>.Zero;
            for (; i + lanes <= n; i += lanes)
                acc += Vector512.LoadUnsafe(ref first, (nuint)i);
            if (i == n)
                return Combine(acc);
            acc.CopyTo(partial);
        }
        else
        {
            partial.Clear();
        }
        for (int l = 0; i + l < n; l++)
            partial[l] += Unsafe.Add(ref first, i + l);
        return Combine(partial[..lanes]);
    }

    /// <summary>The dot product of n elements from x and y in the canonical order.</summary>
    [SkipLocalsInit]
    public static T Dot<T>(ref T x, ref T y, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector512<T>.Count, i = 0;
        if (n < lanes)
            return ShortDot(ref x, ref y, n);
        Span<T> partial = stackalloc T[16];
        var acc = Vector512<T>.Zero;
        for (; i + lanes <= n; i += lanes)
            acc = Fma(Vector512.LoadUnsafe(ref x, (nuint)i), Vector512.LoadUnsafe(ref y, (nuint)i), acc);
        if (i == n)
            return Combine(acc);
        acc.CopyTo(partial);
        for (int l = 0; i + l < n; l++)
            partial[l] = T.FusedMultiplyAdd(Unsafe.Add(ref x, i + l), Unsafe.Add(ref y, i + l), partial[l]);
        return Combine(partial[..lanes]);
    }

    /// <summary>
    /// The same order for n &lt; L (one partial block: lane j holds fma(x_j, y_j, +0), the others +0), with the
    /// halving combination written out so that nothing goes through memory: the MLP's rows of 10 classes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T ShortDot<T>(ref T x, ref T y, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector512<T>.Count == 8)
        {
            T h0 = P(ref x, ref y, n, 0) + P(ref x, ref y, n, 4), h1 = P(ref x, ref y, n, 1) + P(ref x, ref y, n, 5);
            T h2 = P(ref x, ref y, n, 2) + P(ref x, ref y, n, 6), h3 = P(ref x, ref y, n, 3) + P(ref x, ref y, n, 7);
            return (h0 + h2) + (h1 + h3);
        }
        T s0 = P(ref x, ref y, n, 0) + P(ref x, ref y, n, 8), s1 = P(ref x, ref y, n, 1) + P(ref x, ref y, n, 9);
        T s2 = P(ref x, ref y, n, 2) + P(ref x, ref y, n, 10), s3 = P(ref x, ref y, n, 3) + P(ref x, ref y, n, 11);
        T s4 = P(ref x, ref y, n, 4) + P(ref x, ref y, n, 12), s5 = P(ref x, ref y, n, 5) + P(ref x, ref y, n, 13);
        T s6 = P(ref x, ref y, n, 6) + P(ref x, ref y, n, 14), s7 = P(ref x, ref y, n, 7) + P(ref x, ref y, n, 15);
        T t0 = s0 + s4, t1 = s1 + s5, t2 = s2 + s6, t3 = s3 + s7;
        return (t0 + t2) + (t1 + t3);
    }

    // lane j of the single partial block: fma(x_j, y_j, +0) for j < n, else +0
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T P<T>(ref T x, ref T y, int n, int j) where T : unmanaged, IFloatingPointIeee754<T>
        => j < n ? T.FusedMultiplyAdd(Unsafe.Add(ref x, j), Unsafe.Add(ref y, j), T.Zero) : T.Zero;

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

    /// <summary>The halving combination of L lanes held in a span (length L, overwritten).</summary>
    public static T Combine<T>(Span<T> lanes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int width = lanes.Length / 2; width >= 1; width /= 2)
        {
            for (int l = 0; l < width; l++)
                lanes[l] += lanes[l + width];
        }
        return lanes[0];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma<T>(Vector512<T> a, Vector512<T> b, Vector512<T> addend) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), addend.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), addend.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }
}
