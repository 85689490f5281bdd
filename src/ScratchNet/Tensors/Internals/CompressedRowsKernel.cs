using System.Numerics;

namespace ScratchNet.Tensors.Internals;

/// <summary>
/// C (m × n) += S·B for S in compressed rows and B row-major (k × n), over the output columns [first, last):
/// blocks of eight vectors, then four, then one, stay in registers while row i's entries stream past, each entry
/// one broadcast and one fused multiply-add per vector of B's row. Per element the entries are added in their stored
/// order, so the result does not depend on the column range or the blocking. Written once over the vector width.
/// </summary>
internal static unsafe class CompressedRowsKernel<T, TVec, TSimd>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TSimd : ISimd<T, TVec>
{
    public static void MultiplyAdd(int m, int* starts, int* columns, T* values, T* b, int n, T* c, int first, int last)
    {
        int v = TSimd.Count;
        int col = first;
        for (; col + 8 * v <= last; col += 8 * v)
            Block8(m, starts, columns, values, b, n, c, col);
        for (; col + 4 * v <= last; col += 4 * v)
            Block4(m, starts, columns, values, b, n, c, col);
        for (; col + v <= last; col += v)
            Block1(m, starts, columns, values, b, n, c, col);
        for (; col < last; col++)
        {
            for (int i = 0; i < m; i++)
            {
                T acc = c[(nint)i * n + col];
                for (int p = starts[i]; p < starts[i + 1]; p++)
                    acc = T.FusedMultiplyAdd(values[p], b[(nint)columns[p] * n + col], acc);
                c[(nint)i * n + col] = acc;
            }
        }
    }

    private static void Block8(int m, int* starts, int* columns, T* values, T* b, int n, T* c, int col)
    {
        int v = TSimd.Count;
        for (int i = 0; i < m; i++)
        {
            T* ci = c + (nint)i * n + col;
            TVec a0 = TSimd.Load(ci), a1 = TSimd.Load(ci + v), a2 = TSimd.Load(ci + 2 * v), a3 = TSimd.Load(ci + 3 * v);
            TVec a4 = TSimd.Load(ci + 4 * v), a5 = TSimd.Load(ci + 5 * v), a6 = TSimd.Load(ci + 6 * v), a7 = TSimd.Load(ci + 7 * v);
            for (int p = starts[i]; p < starts[i + 1]; p++)
            {
                T* bp = b + (nint)columns[p] * n + col;
                TVec s = TSimd.Broadcast(values[p]);
                a0 = TSimd.MultiplyAdd(s, TSimd.Load(bp), a0);
                a1 = TSimd.MultiplyAdd(s, TSimd.Load(bp + v), a1);
                a2 = TSimd.MultiplyAdd(s, TSimd.Load(bp + 2 * v), a2);
                a3 = TSimd.MultiplyAdd(s, TSimd.Load(bp + 3 * v), a3);
                a4 = TSimd.MultiplyAdd(s, TSimd.Load(bp + 4 * v), a4);
                a5 = TSimd.MultiplyAdd(s, TSimd.Load(bp + 5 * v), a5);
                a6 = TSimd.MultiplyAdd(s, TSimd.Load(bp + 6 * v), a6);
                a7 = TSimd.MultiplyAdd(s, TSimd.Load(bp + 7 * v), a7);
            }
            TSimd.Store(a0, ci); TSimd.Store(a1, ci + v); TSimd.Store(a2, ci + 2 * v); TSimd.Store(a3, ci + 3 * v);
            TSimd.Store(a4, ci + 4 * v); TSimd.Store(a5, ci + 5 * v); TSimd.Store(a6, ci + 6 * v); TSimd.Store(a7, ci + 7 * v);
        }
    }

    private static void Block4(int m, int* starts, int* columns, T* values, T* b, int n, T* c, int col)
    {
        int v = TSimd.Count;
        for (int i = 0; i < m; i++)
        {
            T* ci = c + (nint)i * n + col;
            TVec a0 = TSimd.Load(ci), a1 = TSimd.Load(ci + v), a2 = TSimd.Load(ci + 2 * v), a3 = TSimd.Load(ci + 3 * v);
            for (int p = starts[i]; p < starts[i + 1]; p++)
            {
                T* bp = b + (nint)columns[p] * n + col;
                TVec s = TSimd.Broadcast(values[p]);
                a0 = TSimd.MultiplyAdd(s, TSimd.Load(bp), a0);
                a1 = TSimd.MultiplyAdd(s, TSimd.Load(bp + v), a1);
                a2 = TSimd.MultiplyAdd(s, TSimd.Load(bp + 2 * v), a2);
                a3 = TSimd.MultiplyAdd(s, TSimd.Load(bp + 3 * v), a3);
            }
            TSimd.Store(a0, ci); TSimd.Store(a1, ci + v); TSimd.Store(a2, ci + 2 * v); TSimd.Store(a3, ci + 3 * v);
        }
    }

    private static void Block1(int m, int* starts, int* columns, T* values, T* b, int n, T* c, int col)
    {
        for (int i = 0; i < m; i++)
        {
            T* ci = c + (nint)i * n + col;
            TVec a0 = TSimd.Load(ci);
            for (int p = starts[i]; p < starts[i + 1]; p++)
                a0 = TSimd.MultiplyAdd(TSimd.Broadcast(values[p]), TSimd.Load(b + (nint)columns[p] * n + col), a0);
            TSimd.Store(a0, ci);
        }
    }
}
