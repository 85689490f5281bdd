using System.Numerics;

namespace ScratchNet.Tensors.Internals;

/// <summary>
/// Register-blocked kernels over a chosen set of rows of a row-major W (· × h): a block of up to 8 vectors of the
/// output stays in registers while the selected rows stream past, so the output is loaded and stored once per block
/// instead of once per row. Written once over the vector width <typeparamref name="TSimd"/>.
/// </summary>
internal static unsafe class SparseRows<T, TVec, TSimd>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TSimd : ISimd<T, TVec>
{
    private const int Block = 8;

    /// <summary>z (h) += Σ_r coefficients[r]·W[rows[r], :], rows in the given order.</summary>
    public static void Accumulate(ReadOnlySpan<int> rows, ReadOnlySpan<T> coefficients, T* w, int h, T* z)
    {
        int v = TSimd.Count;
        int col = 0;
        for (; col + Block * v <= h; col += Block * v)
        {
            T* zc = z + col;
            TVec z0 = TSimd.Load(zc), z1 = TSimd.Load(zc + v), z2 = TSimd.Load(zc + 2 * v), z3 = TSimd.Load(zc + 3 * v);
            TVec z4 = TSimd.Load(zc + 4 * v), z5 = TSimd.Load(zc + 5 * v), z6 = TSimd.Load(zc + 6 * v), z7 = TSimd.Load(zc + 7 * v);
            for (int r = 0; r < rows.Length; r++)
            {
                T* wr = w + (nint)rows[r] * h + col;
                TVec s = TSimd.Broadcast(coefficients[r]);
                z0 = TSimd.MultiplyAdd(s, TSimd.Load(wr), z0);
                z1 = TSimd.MultiplyAdd(s, TSimd.Load(wr + v), z1);
                z2 = TSimd.MultiplyAdd(s, TSimd.Load(wr + 2 * v), z2);
                z3 = TSimd.MultiplyAdd(s, TSimd.Load(wr + 3 * v), z3);
                z4 = TSimd.MultiplyAdd(s, TSimd.Load(wr + 4 * v), z4);
                z5 = TSimd.MultiplyAdd(s, TSimd.Load(wr + 5 * v), z5);
                z6 = TSimd.MultiplyAdd(s, TSimd.Load(wr + 6 * v), z6);
                z7 = TSimd.MultiplyAdd(s, TSimd.Load(wr + 7 * v), z7);
            }
            TSimd.Store(z0, zc); TSimd.Store(z1, zc + v); TSimd.Store(z2, zc + 2 * v); TSimd.Store(z3, zc + 3 * v);
            TSimd.Store(z4, zc + 4 * v); TSimd.Store(z5, zc + 5 * v); TSimd.Store(z6, zc + 6 * v); TSimd.Store(z7, zc + 7 * v);
        }
        for (; col + v <= h; col += v)
        {
            TVec acc = TSimd.Load(z + col);
            for (int r = 0; r < rows.Length; r++)
                acc = TSimd.MultiplyAdd(TSimd.Broadcast(coefficients[r]), TSimd.Load(w + (nint)rows[r] * h + col), acc);
            TSimd.Store(acc, z + col);
        }
        for (; col < h; col++)
        {
            T acc = z[col];
            for (int r = 0; r < rows.Length; r++)
                acc = T.FusedMultiplyAdd(coefficients[r], w[(nint)rows[r] * h + col], acc);
            z[col] = acc;
        }
    }

    /// <summary>W[rows[r], :] += coefficients[r]·dz for each r.</summary>
    public static void Update(ReadOnlySpan<int> rows, ReadOnlySpan<T> coefficients, T* dz, int h, T* w)
    {
        int v = TSimd.Count;
        int col = 0;
        for (; col + Block * v <= h; col += Block * v)
        {
            T* dc = dz + col;
            TVec d0 = TSimd.Load(dc), d1 = TSimd.Load(dc + v), d2 = TSimd.Load(dc + 2 * v), d3 = TSimd.Load(dc + 3 * v);
            TVec d4 = TSimd.Load(dc + 4 * v), d5 = TSimd.Load(dc + 5 * v), d6 = TSimd.Load(dc + 6 * v), d7 = TSimd.Load(dc + 7 * v);
            for (int r = 0; r < rows.Length; r++)
            {
                T* wr = w + (nint)rows[r] * h + col;
                TVec s = TSimd.Broadcast(coefficients[r]);
                TSimd.Store(TSimd.MultiplyAdd(s, d0, TSimd.Load(wr)), wr);
                TSimd.Store(TSimd.MultiplyAdd(s, d1, TSimd.Load(wr + v)), wr + v);
                TSimd.Store(TSimd.MultiplyAdd(s, d2, TSimd.Load(wr + 2 * v)), wr + 2 * v);
                TSimd.Store(TSimd.MultiplyAdd(s, d3, TSimd.Load(wr + 3 * v)), wr + 3 * v);
                TSimd.Store(TSimd.MultiplyAdd(s, d4, TSimd.Load(wr + 4 * v)), wr + 4 * v);
                TSimd.Store(TSimd.MultiplyAdd(s, d5, TSimd.Load(wr + 5 * v)), wr + 5 * v);
                TSimd.Store(TSimd.MultiplyAdd(s, d6, TSimd.Load(wr + 6 * v)), wr + 6 * v);
                TSimd.Store(TSimd.MultiplyAdd(s, d7, TSimd.Load(wr + 7 * v)), wr + 7 * v);
            }
        }
        for (; col + v <= h; col += v)
        {
            TVec d = TSimd.Load(dz + col);
            for (int r = 0; r < rows.Length; r++)
            {
                T* wr = w + (nint)rows[r] * h + col;
                TSimd.Store(TSimd.MultiplyAdd(TSimd.Broadcast(coefficients[r]), d, TSimd.Load(wr)), wr);
            }
        }
        for (; col < h; col++)
        {
            for (int r = 0; r < rows.Length; r++)
            {
                T* wr = w + (nint)rows[r] * h + col;
                *wr = T.FusedMultiplyAdd(coefficients[r], dz[col], *wr);
            }
        }
    }
}
