using System.Numerics;
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
    {
        int n = v.Length;
        ThrowHelper.IfLengthNot(w.Length, (long)gate.Length * n, nameof(w));
        ThrowHelper.IfLengthNot(destination.Length, gate.Length, nameof(destination));
        ThrowHelper.IfOverlaps(w, destination, nameof(w));
        ThrowHelper.IfOverlaps(v, destination, nameof(v));
        ThrowHelper.IfPartialOverlap(gate, destination, nameof(gate));
        // a branch per row, not a select after computing every row: the ReLU pattern predicts well enough, and an
        // inactive row's dot can cost float32 dozens of cycles in subnormal arithmetic (tiny softmax probabilities)
        ref T row = ref MemoryMarshal.GetReference(w);
        ref T vector = ref MemoryMarshal.GetReference(v);
        for (int j = 0; j < gate.Length; j++)
            destination[j] = gate[j] > T.Zero ? CanonicalReduction.Dot(ref System.Runtime.CompilerServices.Unsafe.Add(ref row, (nint)j * n), ref vector, n) : T.Zero;
    }
}
