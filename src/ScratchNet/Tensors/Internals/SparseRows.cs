using System.Numerics;

namespace ScratchNet.Tensors.Internals;

/// <summary>
/// Row-streaming kernels over a chosen set of rows of a row-major W (· × h): four selected rows at a time, each read
/// from start to end once per call (the non-zero inputs of an image come in runs, so consecutive selected rows are
/// usually adjacent in memory and the hardware prefetcher sees long streams), while the vector of z (forward) or dz
/// (update) they meet is loaded once per four rows. Per output element the multiply-adds run in the rows' order, so
/// the results are bit-identical to the naive row-by-row loop whatever the blocking. Written once over the vector width <typeparamref name="TSimd"/>.
/// </summary>
internal static unsafe class SparseRows<T, TVec, TSimd>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TSimd : ISimd<T, TVec>
{
    /// <summary>z (h) += Σ_r coefficients[r]·W[rows[r], :], rows in the given order.</summary>
    public static void Accumulate(ReadOnlySpan<int> rows, ReadOnlySpan<T> coefficients, T* w, int h, T* z)
    {
        int v = TSimd.Count;
        int vectorEnd = h - h % v;
        int r = 0;
        for (; r + 4 <= rows.Length; r += 4)
        {
            T* w0 = w + (nint)rows[r] * h, w1 = w + (nint)rows[r + 1] * h;
            T* w2 = w + (nint)rows[r + 2] * h, w3 = w + (nint)rows[r + 3] * h;
            T c0 = coefficients[r], c1 = coefficients[r + 1], c2 = coefficients[r + 2], c3 = coefficients[r + 3];
            TVec s0 = TSimd.Broadcast(c0), s1 = TSimd.Broadcast(c1), s2 = TSimd.Broadcast(c2), s3 = TSimd.Broadcast(c3);
            for (int col = 0; col < vectorEnd; col += v)
            {
                TVec acc = TSimd.MultiplyAdd(s0, TSimd.Load(w0 + col), TSimd.Load(z + col));
                acc = TSimd.MultiplyAdd(s1, TSimd.Load(w1 + col), acc);
                acc = TSimd.MultiplyAdd(s2, TSimd.Load(w2 + col), acc);
                TSimd.Store(TSimd.MultiplyAdd(s3, TSimd.Load(w3 + col), acc), z + col);
            }
            for (int col = vectorEnd; col < h; col++)
            {
                T acc = T.FusedMultiplyAdd(c0, w0[col], z[col]);
                acc = T.FusedMultiplyAdd(c1, w1[col], acc);
                acc = T.FusedMultiplyAdd(c2, w2[col], acc);
                z[col] = T.FusedMultiplyAdd(c3, w3[col], acc);
            }
        }
        for (; r < rows.Length; r++)
        {
            T* wr = w + (nint)rows[r] * h;
            T c = coefficients[r];
            TVec s = TSimd.Broadcast(c);
            for (int col = 0; col < vectorEnd; col += v)
                TSimd.Store(TSimd.MultiplyAdd(s, TSimd.Load(wr + col), TSimd.Load(z + col)), z + col);
            for (int col = vectorEnd; col < h; col++)
                z[col] = T.FusedMultiplyAdd(c, wr[col], z[col]);
        }
    }

    /// <summary>
    /// W[updateRows[k], :] += updateCoefficients[k]·dz for every k, then z (h) += Σ_k accumulateCoefficients[k]·W[accumulateRows[k], :]
    /// over the updated W, in one sweep in increasing row order: before each block of four accumulated rows, the updates
    /// of every row up to the block's last one are applied, so a row that is both updated and accumulated comes from
    /// memory once and is read again from L1. Both row lists increase strictly, so per element the operations and their
    /// order are exactly those of <see cref="Update"/> followed by <see cref="Accumulate"/>.
    /// </summary>
    public static void UpdateThenAccumulate(ReadOnlySpan<int> updateRows, ReadOnlySpan<T> updateCoefficients, T* dz,
        ReadOnlySpan<int> accumulateRows, ReadOnlySpan<T> accumulateCoefficients, int h, T* w, T* z)
    {
        int updated = 0;
        for (int r = 0; r < accumulateRows.Length; r += 4)
        {
            int block = Math.Min(4, accumulateRows.Length - r);
            int lastRow = accumulateRows[r + block - 1];
            int end = updated;
            while (end < updateRows.Length && updateRows[end] <= lastRow)
                end++;
            Update(updateRows[updated..end], updateCoefficients[updated..end], dz, h, w);
            updated = end;
            Accumulate(accumulateRows.Slice(r, block), accumulateCoefficients.Slice(r, block), w, h, z);
        }
        Update(updateRows[updated..], updateCoefficients[updated..], dz, h, w);
    }

    /// <summary>W[rows[r], :] += coefficients[r]·dz for each r.</summary>
    public static void Update(ReadOnlySpan<int> rows, ReadOnlySpan<T> coefficients, T* dz, int h, T* w)
    {
        int v = TSimd.Count;
        int vectorEnd = h - h % v;
        int r = 0;
        for (; r + 4 <= rows.Length; r += 4)
        {
            T* w0 = w + (nint)rows[r] * h, w1 = w + (nint)rows[r + 1] * h;
            T* w2 = w + (nint)rows[r + 2] * h, w3 = w + (nint)rows[r + 3] * h;
            T c0 = coefficients[r], c1 = coefficients[r + 1], c2 = coefficients[r + 2], c3 = coefficients[r + 3];
            TVec s0 = TSimd.Broadcast(c0), s1 = TSimd.Broadcast(c1), s2 = TSimd.Broadcast(c2), s3 = TSimd.Broadcast(c3);
            for (int col = 0; col < vectorEnd; col += v)
            {
                TVec d = TSimd.Load(dz + col);
                TSimd.Store(TSimd.MultiplyAdd(s0, d, TSimd.Load(w0 + col)), w0 + col);
                TSimd.Store(TSimd.MultiplyAdd(s1, d, TSimd.Load(w1 + col)), w1 + col);
                TSimd.Store(TSimd.MultiplyAdd(s2, d, TSimd.Load(w2 + col)), w2 + col);
                TSimd.Store(TSimd.MultiplyAdd(s3, d, TSimd.Load(w3 + col)), w3 + col);
            }
            for (int col = vectorEnd; col < h; col++)
            {
                w0[col] = T.FusedMultiplyAdd(c0, dz[col], w0[col]);
                w1[col] = T.FusedMultiplyAdd(c1, dz[col], w1[col]);
                w2[col] = T.FusedMultiplyAdd(c2, dz[col], w2[col]);
                w3[col] = T.FusedMultiplyAdd(c3, dz[col], w3[col]);
            }
        }
        for (; r < rows.Length; r++)
        {
            T* wr = w + (nint)rows[r] * h;
            T c = coefficients[r];
            TVec s = TSimd.Broadcast(c);
            for (int col = 0; col < vectorEnd; col += v)
                TSimd.Store(TSimd.MultiplyAdd(s, TSimd.Load(dz + col), TSimd.Load(wr + col)), wr + col);
            for (int col = vectorEnd; col < h; col++)
                wr[col] = T.FusedMultiplyAdd(c, dz[col], wr[col]);
        }
    }
}
