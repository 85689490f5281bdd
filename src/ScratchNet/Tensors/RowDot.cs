using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ScratchNet.Tensors.Internals;

namespace ScratchNet.Tensors;

/// <summary>
/// Dot products in the canonical order of docs/kernels.md (16 float or 8 double lanes, combined by halving): the same
/// bits on every machine and at every vector width. What the MLP's backward pass dh = W dz runs on, with n = 10 classes.
/// </summary>
public static class RowDot
{
    /// <summary>x · y in the canonical order.</summary>
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.IfLengthNot(y.Length, x.Length, nameof(y));
        return CanonicalReduction.Dot(x, y);
    }

    /// <summary>
    /// destination[j] = W[j, :] · v where gate[j] &gt; 0, else 0 (a ReLU below needs no more); W is gate.Length × v.Length
    /// and each computed value is <see cref="Dot{T}"/>'s.
    /// </summary>
    public static void WherePositive<T>(ReadOnlySpan<T> w, ReadOnlySpan<T> v, ReadOnlySpan<T> gate, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        => WherePositive(w, v, gate, destination, CanonicalReduction.HardwareBits<T>());

    /// <summary>As the public overload on the canonical lanes held at <paramref name="bits"/> (512, 256 or 128: the
    /// same bits at each; tests run all three).</summary>
    internal static void WherePositive<T>(ReadOnlySpan<T> w, ReadOnlySpan<T> v, ReadOnlySpan<T> gate, Span<T> destination, int bits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = v.Length;
        ThrowHelper.IfLengthNot(w.Length, (long)gate.Length * n, nameof(w));
        ThrowHelper.IfLengthNot(destination.Length, gate.Length, nameof(destination));
        ThrowHelper.IfOverlaps(w, destination, nameof(w));
        ThrowHelper.IfOverlaps(v, destination, nameof(v));
        ThrowHelper.IfPartialOverlap(gate, destination, nameof(gate));
        if (bits == 512)
            WherePositive<T, Lanes512<T>>(w, v, gate, destination);
        else if (bits == 256)
            WherePositive<T, Lanes256<T>>(w, v, gate, destination);
        else
            WherePositive<T, Lanes128<T>>(w, v, gate, destination);
    }

    [SkipLocalsInit]
    private static void WherePositive<T, TLanes>(ReadOnlySpan<T> w, ReadOnlySpan<T> v, ReadOnlySpan<T> gate, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLanes : struct, ICanonicalLanes<T, TLanes>
    {
        int n = v.Length;
        int lanes = CanonicalReduction.Lanes<T>(), full = n - n % lanes;
        // v's partial last block, zero-padded to L, and v up to it; a row of W is read past its end into the next
        // row (the lanes past n are masked away), so only the rows whose last block would run off W take the general dot
        Span<T> padded = stackalloc T[16];
        padded.Clear();
        v[full..].CopyTo(padded);
        TLanes vLast = TLanes.Load(ref MemoryMarshal.GetReference(padded), 0);
        TLanes mask = TLanes.LeadingLanes(n - full);
        long slack = (long)w.Length - full - lanes;
        int readable = full == n ? gate.Length : slack < 0 ? 0 : (int)Math.Min(gate.Length, slack / Math.Max(n, 1) + 1);
        ref T row = ref MemoryMarshal.GetReference(w);
        ref T vector = ref MemoryMarshal.GetReference(v);
        // a branch per row, not a select after computing every row: the ReLU pattern predicts well enough, and an
        // inactive row's dot can cost float32 dozens of cycles in subnormal arithmetic (tiny softmax probabilities)
        int j = 0;
        for (; j < readable; j++)
        {
            if (!(gate[j] > T.Zero))
            {
                destination[j] = T.Zero;
                continue;
            }
            ref T wj = ref Unsafe.Add(ref row, (nint)j * n);
            var acc = CanonicalReduction.FullBlocks<T, TLanes>(ref wj, ref vector, full, TLanes.Zero);
            if (full < n)
                acc = CanonicalReduction.PartialBlock<T, TLanes>(TLanes.Load(ref wj, (nuint)full), vLast, acc, mask);
            destination[j] = TLanes.Combine(acc);
        }
        for (; j < gate.Length; j++)
            destination[j] = gate[j] > T.Zero ? CanonicalReduction.Dot<T, TLanes>(ref Unsafe.Add(ref row, (nint)j * n), ref vector, n) : T.Zero;
    }
}
