using System.Numerics;
using System.Numerics.Tensors;
using ScratchNet.Tensors.Internals;

namespace ScratchNet.Tensors;

/// <summary>
/// Reductions in the canonical order of docs/kernels.md (the same bits on every machine). Max and IndexOfMax are
/// exact in any order: use TensorPrimitives for them; its Sum, Dot and Norm depend on the vector width.
/// </summary>
public static class Reductions
{
    /// <summary>The arithmetic mean; NaN for an empty span.</summary>
    public static T Mean<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
        => x.IsEmpty ? T.NaN : CanonicalReduction.Sum(x) / T.CreateChecked(x.Length);

    /// <summary>destination (cols) = Σ_n x[n, :] — the column sums of a row-major N × cols batch, e.g. the bias
    /// gradient db = Σ_n dZ[n, :]. Rows are added in order, so the result is deterministic.</summary>
    public static void SumRows<T>(ReadOnlySpan<T> x, int cols, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorThrow.IfNotMultiple(x.Length, cols, nameof(x));
        TensorThrow.IfLengthNot(destination.Length, cols, nameof(destination));
        TensorThrow.IfOverlaps(x, destination, nameof(x));
        destination.Clear();
        for (int start = 0; start < x.Length; start += cols)
            TensorPrimitives.Add(x.Slice(start, cols), destination, destination);
    }

    /// <summary>destination (N) = Σ_k x[n, k] — the sum of each row of a row-major N × cols batch.</summary>
    public static void SumColumns<T>(ReadOnlySpan<T> x, int cols, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorThrow.IfNotMultiple(x.Length, cols, nameof(x));
        TensorThrow.IfLengthNot(destination.Length, x.Length / cols, nameof(destination));
        TensorThrow.IfOverlaps(x, destination, nameof(x));
        for (int n = 0; n < destination.Length; n++)
            destination[n] = CanonicalReduction.Sum(x.Slice(n * cols, cols));
    }
}
