using System.Numerics;

namespace ScratchNet.Tensors;

/// <summary>
/// A dense row-major matrix: element (i, j) lives at <c>Data[i * Cols + j]</c>. Deliberately small: the kernels work on
/// spans, and this type only names the shape and hands out spans.
/// </summary>
public sealed class Matrix<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public Matrix(int rows, int cols)
    {
        ThrowHelper.IfNegative(rows, nameof(rows));
        ThrowHelper.IfNegative(cols, nameof(cols));
        Rows = rows;
        Cols = cols;
        Data = new T[checked(rows * cols)];
    }

    /// <summary>Wraps <paramref name="data"/> (not copied) as a rows × cols matrix.</summary>
    public Matrix(int rows, int cols, T[] data)
    {
        ThrowHelper.IfNegative(rows, nameof(rows));
        ThrowHelper.IfNegative(cols, nameof(cols));
        ArgumentNullException.ThrowIfNull(data);
        ThrowHelper.IfLengthNot(data.Length, (long)rows * cols, nameof(data));
        Rows = rows;
        Cols = cols;
        Data = data;
    }

    public int Rows { get; }
    public int Cols { get; }
    public T[] Data { get; }

    public Span<T> Span => Data;

    public ref T this[int row, int col]
    {
        get
        {
            if ((uint)row >= (uint)Rows || (uint)col >= (uint)Cols)
                throw new ArgumentOutOfRangeException(nameof(row),
                    $"({row}, {col}) is outside a {Rows} × {Cols} matrix; valid rows 0..{Rows - 1}, cols 0..{Cols - 1}.");
            return ref Data[row * Cols + col];
        }
    }

    public Span<T> Row(int row)
    {
        if ((uint)row >= (uint)Rows)
            throw new ArgumentOutOfRangeException(nameof(row), $"row {row} is outside 0..{Rows - 1}.");
        return Data.AsSpan(row * Cols, Cols);
    }

    /// <summary>A new matrix whose element (i, j) is <c>fill(i, j)</c>.</summary>
    public static Matrix<T> Create(int rows, int cols, Func<int, int, T> fill)
    {
        ArgumentNullException.ThrowIfNull(fill);
        var m = new Matrix<T>(rows, cols);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                m.Data[i * cols + j] = fill(i, j);
        return m;
    }

    public Matrix<T> Transpose()
    {
        var t = new Matrix<T>(Cols, Rows);
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Cols; j++)
                t.Data[j * Rows + i] = Data[i * Cols + j];
        return t;
    }

    public override string ToString() => $"Matrix<{typeof(T).Name}>({Rows} × {Cols})";
}
