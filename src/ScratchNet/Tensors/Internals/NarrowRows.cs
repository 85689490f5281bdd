using System.Numerics;

namespace ScratchNet.Tensors.Internals;

/// <summary>
/// <see cref="NonZeroRows{T, TVec, TSimd}"/>'s Accumulate and Update for rows narrower than three vectors (the MLP's
/// 200 × 10 output layer): up to two vector blocks and two scalar tail columns stay in registers for the whole pass
/// over the rows, instead of a load and store of z per four rows, and dz's blocks are loaded once. Per element the
/// operations are NonZeroRows' own — the same fused multiply-adds, vector for the columns below h − h mod Count and
/// scalar for the rest, in the rows' order — so the results are bit-identical to it.
/// </summary>
internal static unsafe class NarrowRows<T, TVec, TSimd>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TSimd : ISimd<T, TVec>
{
    /// <summary>The widths these kernels take: h &lt; 3·Count.</summary>
    public static bool Fits(int h) => h < 3 * TSimd.Count;

    /// <summary>z (h) += Σ_r coefficients[r]·W[rows[r], :], rows in the given order.</summary>
    public static void Accumulate(ReadOnlySpan<int> rows, ReadOnlySpan<T> coefficients, T* w, int h, T* z)
    {
        int v = TSimd.Count;
        int blocks = h / v, tail0 = blocks * v, tail = h - tail0;
        TVec acc0 = blocks > 0 ? TSimd.Load(z) : TSimd.Zero;
        TVec acc1 = blocks > 1 ? TSimd.Load(z + v) : TSimd.Zero;
        T t0 = tail > 0 ? z[tail0] : T.Zero;
        T t1 = tail > 1 ? z[tail0 + 1] : T.Zero;
        for (int r = 0; r < rows.Length; r++)
        {
            T* row = w + (nint)rows[r] * h;
            T c = coefficients[r];
            TVec s = TSimd.Broadcast(c);
            if (blocks > 0)
                acc0 = TSimd.MultiplyAdd(s, TSimd.Load(row), acc0);
            if (blocks > 1)
                acc1 = TSimd.MultiplyAdd(s, TSimd.Load(row + v), acc1);
            if (tail > 0)
                t0 = T.FusedMultiplyAdd(c, row[tail0], t0);
            if (tail > 1)
                t1 = T.FusedMultiplyAdd(c, row[tail0 + 1], t1);
        }
        if (blocks > 0)
            TSimd.Store(acc0, z);
        if (blocks > 1)
            TSimd.Store(acc1, z + v);
        if (tail > 0)
            z[tail0] = t0;
        if (tail > 1)
            z[tail0 + 1] = t1;
        // tail columns beyond two, two per pass (only widths of Count + 3 and up get here)
        for (int col = tail0 + 2; col < h; col += 2)
        {
            bool pair = col + 1 < h;
            T u0 = z[col], u1 = pair ? z[col + 1] : T.Zero;
            for (int r = 0; r < rows.Length; r++)
            {
                T* row = w + (nint)rows[r] * h;
                u0 = T.FusedMultiplyAdd(coefficients[r], row[col], u0);
                if (pair)
                    u1 = T.FusedMultiplyAdd(coefficients[r], row[col + 1], u1);
            }
            z[col] = u0;
            if (pair)
                z[col + 1] = u1;
        }
    }

    /// <summary>W[rows[r], :] += coefficients[r]·dz for each r.</summary>
    public static void Update(ReadOnlySpan<int> rows, ReadOnlySpan<T> coefficients, T* dz, int h, T* w)
    {
        int v = TSimd.Count;
        int blocks = h / v, tail0 = blocks * v;
        TVec d0 = blocks > 0 ? TSimd.Load(dz) : TSimd.Zero;
        TVec d1 = blocks > 1 ? TSimd.Load(dz + v) : TSimd.Zero;
        for (int r = 0; r < rows.Length; r++)
        {
            T* row = w + (nint)rows[r] * h;
            T c = coefficients[r];
            TVec s = TSimd.Broadcast(c);
            if (blocks > 0)
                TSimd.Store(TSimd.MultiplyAdd(s, d0, TSimd.Load(row)), row);
            if (blocks > 1)
                TSimd.Store(TSimd.MultiplyAdd(s, d1, TSimd.Load(row + v)), row + v);
            for (int col = tail0; col < h; col++)
                row[col] = T.FusedMultiplyAdd(c, dz[col], row[col]);
        }
    }
}
