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
        TensorThrow.IfOverlaps(x, y, nameof(x));
        TensorThrow.IfOverlaps(a, y, nameof(a));
        for (int i = 0; i < rows; i++)
        {
            T dot = alpha * RowDot.Dot(a.Slice(i * cols, cols), x);
            y[i] = beta == T.Zero ? dot : dot + beta * y[i];
        }
    }

    /// <summary>y (cols) = α·Aᵀ·x + β·y; x has rows elements. β = 0 overwrites y without reading it.</summary>
    public static void MultiplyTransposed<T>(ReadOnlySpan<T> a, int rows, int cols, ReadOnlySpan<T> x, T alpha, T beta,
        Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(a, rows, cols, x.Length, rows, y.Length, cols);
        TensorThrow.IfOverlaps(x, y, nameof(x));
        TensorThrow.IfOverlaps(a, y, nameof(a));
        if (beta == T.Zero)
            y.Clear();
        else if (beta != T.One)
            TensorPrimitives.Multiply(y, beta, y);
        for (int i = 0; i < rows; i++)
            TensorPrimitives.MultiplyAdd(a.Slice(i * cols, cols), alpha * x[i], y, y);
    }

    /// <summary>A (x.Length × y.Length) += α·x·yᵀ.</summary>
    public static void Rank1Update<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, T alpha, Span<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorThrow.IfLengthNot(a.Length, (long)x.Length * y.Length, nameof(a));
        TensorThrow.IfOverlaps(x, a, nameof(x));
        TensorThrow.IfOverlaps(y, a, nameof(y));
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
        TensorThrow.IfNegative(rows, nameof(rows));
        TensorThrow.IfNegative(cols, nameof(cols));
        TensorThrow.IfLengthNot(a.Length, (long)rows * cols, nameof(a));
        TensorThrow.IfLengthNot(xLength, xExpected, "x");
        TensorThrow.IfLengthNot(yLength, yExpected, "y");
    }
}
