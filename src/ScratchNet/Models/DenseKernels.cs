using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Models;

/// <summary>
/// The dense layer's hot loops, vectorised with <see cref="Vector512{T}"/> (or <see cref="Vector256{T}"/>) and a
/// scalar tail, without per-call dispatch: they run once per nonzero input per example, so they are compiled fully
/// optimised from the first call (no tier-0 first epoch). Naive twins live in the tests.
/// </summary>
internal static class DenseKernels
{
    // y += a x   (x, y [n])
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddScaled<T>(ReadOnlySpan<T> x, T a, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ModelThrow.IfLength(y, x.Length, nameof(y));
        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var ys = ref MemoryMarshal.GetReference(y);
        var n = (nuint)x.Length;
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            var va = Vector512.Create(a);
            for (; i + (nuint)Vector512<T>.Count <= n; i += (nuint)Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref ys, i) + va * Vector512.LoadUnsafe(ref xs, i)).StoreUnsafe(ref ys, i);
        }
        else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            var va = Vector256.Create(a);
            for (; i + (nuint)Vector256<T>.Count <= n; i += (nuint)Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref ys, i) + va * Vector256.LoadUnsafe(ref xs, i)).StoreUnsafe(ref ys, i);
        }
        for (; i < n; i++)
            Unsafe.Add(ref ys, i) += a * Unsafe.Add(ref xs, i);
    }

    // Σ x_i y_i   (x, y [n])
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ModelThrow.IfLength(y, x.Length, nameof(y));
        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var ys = ref MemoryMarshal.GetReference(y);
        var n = (nuint)x.Length;
        nuint i = 0;
        var sum = T.Zero;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && n >= (nuint)Vector512<T>.Count)
        {
            var acc = Vector512<T>.Zero;
            for (; i + (nuint)Vector512<T>.Count <= n; i += (nuint)Vector512<T>.Count)
                acc += Vector512.LoadUnsafe(ref xs, i) * Vector512.LoadUnsafe(ref ys, i);
            sum = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && n >= (nuint)Vector256<T>.Count)
        {
            var acc = Vector256<T>.Zero;
            for (; i + (nuint)Vector256<T>.Count <= n; i += (nuint)Vector256<T>.Count)
                acc += Vector256.LoadUnsafe(ref xs, i) * Vector256.LoadUnsafe(ref ys, i);
            sum = Vector256.Sum(acc);
        }
        for (; i < n; i++)
            sum += Unsafe.Add(ref xs, i) * Unsafe.Add(ref ys, i);
        return sum;
    }

    // z += Σ_r a[r] W[rows[r], :] over the listed rows, four rows per pass over z   (W [*, m], z [m])
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddScaledRows<T>(ReadOnlySpan<T> weights, int rowLength, ReadOnlySpan<int> rows, ReadOnlySpan<T> scales, Span<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ModelThrow.IfLength(z, rowLength, nameof(z));
        ModelThrow.IfLength(scales, rows.Length, nameof(scales));
        var r = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && rowLength >= Vector512<T>.Count)
        {
            ref var zs = ref MemoryMarshal.GetReference(z);
            var full = (nuint)(rowLength - rowLength % Vector512<T>.Count);
            for (; r + 4 <= rows.Length; r += 4)
            {
                ref var w0 = ref MemoryMarshal.GetReference(weights.Slice(rows[r] * rowLength, rowLength));
                ref var w1 = ref MemoryMarshal.GetReference(weights.Slice(rows[r + 1] * rowLength, rowLength));
                ref var w2 = ref MemoryMarshal.GetReference(weights.Slice(rows[r + 2] * rowLength, rowLength));
                ref var w3 = ref MemoryMarshal.GetReference(weights.Slice(rows[r + 3] * rowLength, rowLength));
                var (a0, a1, a2, a3) = (Vector512.Create(scales[r]), Vector512.Create(scales[r + 1]), Vector512.Create(scales[r + 2]), Vector512.Create(scales[r + 3]));
                for (nuint i = 0; i < full; i += (nuint)Vector512<T>.Count)
                {
                    var acc = Vector512.LoadUnsafe(ref zs, i) + a0 * Vector512.LoadUnsafe(ref w0, i);
                    acc += a1 * Vector512.LoadUnsafe(ref w1, i);
                    acc += a2 * Vector512.LoadUnsafe(ref w2, i);
                    acc += a3 * Vector512.LoadUnsafe(ref w3, i);
                    acc.StoreUnsafe(ref zs, i);
                }
                for (var i = (int)full; i < rowLength; i++)
                {
                    var value = z[i] + scales[r] * weights[rows[r] * rowLength + i];
                    value += scales[r + 1] * weights[rows[r + 1] * rowLength + i];
                    value += scales[r + 2] * weights[rows[r + 2] * rowLength + i];
                    z[i] = value + scales[r + 3] * weights[rows[r + 3] * rowLength + i];
                }
            }
        }
        for (; r < rows.Length; r++)
            AddScaled(weights.Slice(rows[r] * rowLength, rowLength), scales[r], z);
    }
}
