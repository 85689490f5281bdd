using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

/// <summary>
/// Dot products of a row-major W's rows (rows × n) with one vector v (n), each bit for bit
/// <c>TensorPrimitives.Dot(W[j, :], v)</c>: what the MLP's backward pass dh = W dz runs on, with n = 10 classes.
/// For a short row (Vector256&lt;T&gt;.Count ≤ n ≤ 8·Count, when 256 bits is the widest accelerated vector) each dot
/// replays TensorPrimitives' own sequence of operations — lane-wise products of the first vector, then of each full
/// block in increasing order, then of the last vector with the lanes already counted masked to +0, added one after
/// the other onto a zero vector, then <c>Vector256.Sum</c> — inline and without its per-call dispatch; any other
/// length calls TensorPrimitives.Dot itself.
/// </summary>
public static class RowDot
{
    /// <summary>x · y, the same bits as <c>TensorPrimitives.Dot(x, y)</c>.</summary>
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.IfLengthNot(y.Length, x.Length, nameof(y));
        if (!IsReplayed<T>(x.Length))
            return TensorPrimitives.Dot(x, y);
        return Replay(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), x.Length,
            RemainderMask<T>(x.Length));
    }

    /// <summary>
    /// destination[j] = W[j, :] · v where gate[j] &gt; 0, else 0 (a ReLU below needs no more); W is gate.Length × v.Length
    /// and each computed value is <c>TensorPrimitives.Dot(W[j, :], v)</c>'s.
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
        if (!IsReplayed<T>(n))
        {
            for (int j = 0; j < gate.Length; j++)
                destination[j] = gate[j] > T.Zero ? TensorPrimitives.Dot(w.Slice(j * n, n), v) : T.Zero;
            return;
        }
        // a branch per row, not a select after computing every row: the ReLU pattern predicts well enough, and an
        // inactive row's dot can cost float32 dozens of cycles in subnormal arithmetic (tiny softmax probabilities)
        ref T row = ref MemoryMarshal.GetReference(w);
        ref T vector = ref MemoryMarshal.GetReference(v);
        Vector256<T> mask = RemainderMask<T>(n);
        for (int j = 0; j < gate.Length; j++)
            destination[j] = gate[j] > T.Zero ? Replay(ref Unsafe.Add(ref row, (nint)j * n), ref vector, n, mask) : T.Zero;
    }

    // TensorPrimitives.Dot takes its Vector256 path without the 8-vector main loop exactly for these lengths
    private static bool IsReplayed<T>(int n) where T : unmanaged
        => !Vector512.IsHardwareAccelerated && Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported
            && n >= Vector256<T>.Count && n <= 8 * Vector256<T>.Count;

    // all-ones in the last (n mod Count) lanes: the elements of the last vector no full block has counted
    private static Vector256<T> RemainderMask<T>(int n) where T : unmanaged, IFloatingPointIeee754<T>
        => Vector256.GreaterThanOrEqual(Vector256<T>.Indices, Vector256.Create(T.CreateTruncating(Vector256<T>.Count - n % Vector256<T>.Count)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Replay<T>(ref T x, ref T y, int n, Vector256<T> remainderMask) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = Vector256<T>.Count;
        nuint last = (nuint)(n - count);
        Vector256<T> end = Vector256.LoadUnsafe(ref x, last) * Vector256.LoadUnsafe(ref y, last);
        Vector256<T> sum = Vector256<T>.Zero + Vector256.LoadUnsafe(ref x) * Vector256.LoadUnsafe(ref y);
        int fullEnd = n - n % count;
        for (int offset = count; offset < fullEnd; offset += count)
            sum += Vector256.LoadUnsafe(ref x, (nuint)offset) * Vector256.LoadUnsafe(ref y, (nuint)offset);
        sum += end & remainderMask;
        return Vector256.Sum(sum);
    }
}
