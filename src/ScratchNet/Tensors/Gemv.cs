using System.Numerics;
using System.Numerics.Tensors;

namespace ScratchNet.Tensors;

/// <summary>
/// Matrix–vector products and the rank-1 update over a row-major A (rows × cols) — what per-example SGD runs on.
/// </summary>
public static class Gemv
{
    /// <summary>y (rows) = α·A·x + β·y; x has cols elements. β = 0 overwrites y without reading it. Each row's dot is
    /// <see cref="RowDot"/>'s (the canonical order).</summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, int rows, int cols, ReadOnlySpan<T> x, T alpha, T beta, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(a, rows, cols, x.Length, cols, y.Length, rows);
        ThrowHelper.IfOverlaps(x, y, nameof(x));
        ThrowHelper.IfOverlaps(a, y, nameof(a));
        for (int i = 0; i < rows; i++)
        {
            T dot = alpha * RowDot.Dot(a.Slice(i * cols, cols), x);
            y[i] = beta == T.Zero ? dot : dot + beta * y[i];
        }
    }

    /// <summary>A (x.Length × y.Length) += α·x·yᵀ.</summary>
    public static void Rank1Update<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, T alpha, Span<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.IfLengthNot(a.Length, (long)x.Length * y.Length, nameof(a));
        ThrowHelper.IfOverlaps(x, a, nameof(x));
        ThrowHelper.IfOverlaps(y, a, nameof(y));
        int cols = y.Length;
        for (int i = 0; i < x.Length; i++)
        {
            Span<T> row = a.Slice(i * cols, cols);
            TensorPrimitives.MultiplyAdd(y, alpha * x[i], row, row);
        }
    }

    private static void Validate<T>(ReadOnlySpan<T> a, int rows, int cols, int xLength, int xExpected, int yLength,
        int yExpected)
    {
        ThrowHelper.IfNegative(rows, nameof(rows));
        ThrowHelper.IfNegative(cols, nameof(cols));
        ThrowHelper.IfLengthNot(a.Length, (long)rows * cols, nameof(a));
        ThrowHelper.IfLengthNot(xLength, xExpected, "x");
        ThrowHelper.IfLengthNot(yLength, yExpected, "y");
    }
}
