using System.Numerics;
using System.Numerics.Tensors;
using ScratchNet.Tensors.Internals;

namespace ScratchNet.Tensors;

/// <summary>
/// Row-wise operations on a row-major batch (N × K, K = cols): softmax, log-softmax and argmax per row.
/// Softmax subtracts the row maximum first, so logits of any size (±1e30) give finite results. exp, log and the
/// sums are ScratchNet's own, in one order on every machine (docs/kernels.md).
/// The destination may be the input itself (in place) but must not partly overlap it.
/// </summary>
public static class RowOps
{
    /// <summary>destination[n, :] = exp(x[n, :] − max) / Σ exp(x[n, :] − max).</summary>
    public static void Softmax<T>(ReadOnlySpan<T> x, int cols, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ValidateRows(x, cols, destination);
        for (int start = 0; start < x.Length; start += cols)
        {
            ReadOnlySpan<T> row = x.Slice(start, cols);
            Span<T> output = destination.Slice(start, cols);
            T max = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, max, output);
            Transcendentals.Exp<T>(output, output);
            TensorPrimitives.Divide(output, CanonicalReduction.Sum<T>(output), output);
        }
    }

    /// <summary>destination[n, :] = x[n, :] − max − log Σ exp(x[n, :] − max).</summary>
    public static void LogSoftmax<T>(ReadOnlySpan<T> x, int cols, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ValidateRows(x, cols, destination);
        Span<T> chunk = stackalloc T[Math.Min(cols, 256)];
        for (int start = 0; start < x.Length; start += cols)
        {
            ReadOnlySpan<T> row = x.Slice(start, cols);
            Span<T> output = destination.Slice(start, cols);
            T max = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, max, output);
            T sumExp = T.Zero;
            for (int offset = 0; offset < cols; offset += chunk.Length)
            {
                ReadOnlySpan<T> part = output.Slice(offset, Math.Min(chunk.Length, cols - offset));
                Span<T> exp = chunk[..part.Length];
                Transcendentals.Exp(part, exp);
                sumExp += CanonicalReduction.Sum<T>(exp);
            }
            TensorPrimitives.Subtract(output, Transcendentals.Log(sumExp), output);
        }
    }

    /// <summary>destination[n] = the index of the largest element of row n (the first one on ties).</summary>
    public static void ArgMax<T>(ReadOnlySpan<T> x, int cols, Span<int> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorThrow.IfNotMultiple(x.Length, cols, nameof(x));
        TensorThrow.IfLengthNot(destination.Length, x.Length / cols, nameof(destination));
        for (int n = 0; n < destination.Length; n++)
            destination[n] = TensorPrimitives.IndexOfMax(x.Slice(n * cols, cols));
    }

    private static void ValidateRows<T>(ReadOnlySpan<T> x, int cols, Span<T> destination)
    {
        TensorThrow.IfNotMultiple(x.Length, cols, nameof(x));
        TensorThrow.IfLengthNot(destination.Length, x.Length, nameof(destination));
        TensorThrow.IfPartialOverlap(x, destination, nameof(x));
    }
}
