using System.Numerics;

namespace ScratchNet.Tensors.Internals;

/// <summary>
/// C (m × n) += S·B for S given as Sᵀ (k × m) in compressed rows (each row's columns increasing) and B row-major
/// (k × n), over the rows [rowFirst, rowLast) of C: row j of B is read once, a block of eight (then four, then one)
/// of its vectors held in registers while the entries of Sᵀ's row j that name rows in range stream past, each entry
/// one broadcast and, per vector, a load of C, a fused multiply-add and a store. Per element C[i, col] the terms
/// arrive in increasing j, so the result does not depend on the row range or the blocking, and equals
/// <see cref="CompressedRowsKernel{T, TVec, TSimd}"/> on S. Threads take row ranges, not column ranges: every entry
/// stores to C, and two threads storing into the two halves of one cache line of a row would pass it back and forth.
/// Written once over the vector width.
/// </summary>
internal static unsafe class TransposedRowsKernel<T, TVec, TSimd>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TSimd : ISimd<T, TVec>
{
    public static void MultiplyAdd(int k, int m, int* starts, int* columns, T* values, T* b, int n, T* c, int rowFirst, int rowLast)
    {
        int v = TSimd.Count;
        for (int j = 0; j < k; j++)
        {
            int begin = starts[j], end = starts[j + 1];
            // the entries of row j that name rows in [rowFirst, rowLast): a contiguous run, as the columns increase
            if (rowFirst > 0)
                while (begin < end && columns[begin] < rowFirst)
                    begin++;
            if (rowLast < m)
            {
                int stop = begin;
                while (stop < end && columns[stop] < rowLast)
                    stop++;
                end = stop;
            }
            if (begin == end)
                continue;
            T* bj = b + (nint)j * n;
            int col = 0;
            for (; col + 8 * v <= n; col += 8 * v)
                Block8(begin, end, columns, values, bj + col, n, c + col);
            for (; col + 4 * v <= n; col += 4 * v)
                Block4(begin, end, columns, values, bj + col, n, c + col);
            for (; col + v <= n; col += v)
                Block1(begin, end, columns, values, bj + col, n, c + col);
            for (; col < n; col++)
            {
                for (int p = begin; p < end; p++)
                {
                    T* ci = c + (nint)columns[p] * n + col;
                    *ci = T.FusedMultiplyAdd(values[p], bj[col], *ci);
                }
            }
        }
    }

    // b and c point at the block's first column (c at row 0)
    private static void Block8(int begin, int end, int* columns, T* values, T* b, int n, T* c)
    {
        int v = TSimd.Count;
        TVec b0 = TSimd.Load(b), b1 = TSimd.Load(b + v), b2 = TSimd.Load(b + 2 * v), b3 = TSimd.Load(b + 3 * v);
        TVec b4 = TSimd.Load(b + 4 * v), b5 = TSimd.Load(b + 5 * v), b6 = TSimd.Load(b + 6 * v), b7 = TSimd.Load(b + 7 * v);
        for (int p = begin; p < end; p++)
        {
            T* ci = c + (nint)columns[p] * n;
            TVec s = TSimd.Broadcast(values[p]);
            TSimd.Store(TSimd.MultiplyAdd(s, b0, TSimd.Load(ci)), ci);
            TSimd.Store(TSimd.MultiplyAdd(s, b1, TSimd.Load(ci + v)), ci + v);
            TSimd.Store(TSimd.MultiplyAdd(s, b2, TSimd.Load(ci + 2 * v)), ci + 2 * v);
            TSimd.Store(TSimd.MultiplyAdd(s, b3, TSimd.Load(ci + 3 * v)), ci + 3 * v);
            TSimd.Store(TSimd.MultiplyAdd(s, b4, TSimd.Load(ci + 4 * v)), ci + 4 * v);
            TSimd.Store(TSimd.MultiplyAdd(s, b5, TSimd.Load(ci + 5 * v)), ci + 5 * v);
            TSimd.Store(TSimd.MultiplyAdd(s, b6, TSimd.Load(ci + 6 * v)), ci + 6 * v);
            TSimd.Store(TSimd.MultiplyAdd(s, b7, TSimd.Load(ci + 7 * v)), ci + 7 * v);
        }
    }

    private static void Block4(int begin, int end, int* columns, T* values, T* b, int n, T* c)
    {
        int v = TSimd.Count;
        TVec b0 = TSimd.Load(b), b1 = TSimd.Load(b + v), b2 = TSimd.Load(b + 2 * v), b3 = TSimd.Load(b + 3 * v);
        for (int p = begin; p < end; p++)
        {
            T* ci = c + (nint)columns[p] * n;
            TVec s = TSimd.Broadcast(values[p]);
            TSimd.Store(TSimd.MultiplyAdd(s, b0, TSimd.Load(ci)), ci);
            TSimd.Store(TSimd.MultiplyAdd(s, b1, TSimd.Load(ci + v)), ci + v);
            TSimd.Store(TSimd.MultiplyAdd(s, b2, TSimd.Load(ci + 2 * v)), ci + 2 * v);
            TSimd.Store(TSimd.MultiplyAdd(s, b3, TSimd.Load(ci + 3 * v)), ci + 3 * v);
        }
    }

    private static void Block1(int begin, int end, int* columns, T* values, T* b, int n, T* c)
    {
        TVec b0 = TSimd.Load(b);
        for (int p = begin; p < end; p++)
        {
            T* ci = c + (nint)columns[p] * n;
            TSimd.Store(TSimd.MultiplyAdd(TSimd.Broadcast(values[p]), b0, TSimd.Load(ci)), ci);
        }
    }
}
