using System.Numerics;

namespace ScratchNet.Tensors.Internals;

/// <summary>
/// Row-streaming kernels over a chosen set of rows of a row-major W (· × h): four selected rows at a time, each read
/// from start to end once per call (the non-zero inputs of an image come in runs, so consecutive selected rows are
/// usually adjacent in memory and the hardware prefetcher sees long streams), while the vector of z (forward) or dz
/// (update) they meet is loaded once per four rows. Per output element the multiply-adds run in the rows' order, so
/// the results are bit-identical to the naive row-by-row loop whatever the blocking. Written once over the vector width <typeparamref name="TSimd"/>.
/// </summary>
internal static unsafe class NonZeroRows<T, TVec, TSimd>
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
    /// over the updated W, in one sweep in increasing row order, four accumulated rows at a time: first the updates of
    /// the rows below the block, then the block — when its four rows are all updated (consecutive images share most
    /// non-zero pixels, so this is the common case) each vector of a row is loaded, updated, stored and accumulated in
    /// registers; otherwise its updates are applied and the rows read back from L1. Both row lists increase strictly,
    /// so per element the operations and their order are exactly those of <see cref="Update"/> then <see cref="Accumulate"/>.
    /// </summary>
    public static void UpdateThenAccumulate(ReadOnlySpan<int> updateRows, ReadOnlySpan<T> updateCoefficients, T* dz,
        ReadOnlySpan<int> accumulateRows, ReadOnlySpan<T> accumulateCoefficients, int h, T* w, T* z)
    {
        int updated = 0;
        for (int r = 0; r < accumulateRows.Length; r += 4)
        {
            int block = Math.Min(4, accumulateRows.Length - r);
            int below = UpdatesBefore(updateRows, updated, accumulateRows[r]);
            if (below > updated)
                Update(updateRows[updated..below], updateCoefficients[updated..below], dz, h, w);
            int within = UpdatesBefore(updateRows, below, accumulateRows[r + block - 1] + 1);
            var rows = accumulateRows.Slice(r, block);
            if (block == 4 && within - below == 4 && updateRows[below] == rows[0] && updateRows[below + 1] == rows[1]
                && updateRows[below + 2] == rows[2] && updateRows[below + 3] == rows[3])
            {
                UpdateAndAccumulateFour(rows, updateCoefficients.Slice(below, 4), dz, accumulateCoefficients.Slice(r, 4), h, w, z);
            }
            else
            {
                Update(updateRows[below..within], updateCoefficients[below..within], dz, h, w);
                Accumulate(rows, accumulateCoefficients.Slice(r, block), w, h, z);
            }
            updated = within;
        }
        Update(updateRows[updated..], updateCoefficients[updated..], dz, h, w);
    }

    // the first index from start whose row is at least limit
    private static int UpdatesBefore(ReadOnlySpan<int> rows, int start, int limit)
    {
        while (start < rows.Length && rows[start] < limit)
            start++;
        return start;
    }

    // W[rows[i], :] += u_i·dz, then z += a_i·W[rows[i], :], for the four rows in order, each vector in registers
    private static void UpdateAndAccumulateFour(ReadOnlySpan<int> rows, ReadOnlySpan<T> update, T* dz,
        ReadOnlySpan<T> accumulate, int h, T* w, T* z)
        => UpdateAndAccumulateFour(w + (nint)rows[0] * h, w + (nint)rows[1] * h, w + (nint)rows[2] * h, w + (nint)rows[3] * h,
            update[0], update[1], update[2], update[3], dz, accumulate[0], accumulate[1], accumulate[2], accumulate[3], h, z);

    // rows w0…w3 (h long each): w_i += u_i·dz, then z += a_i·w_i, in order, each vector in registers
    private static void UpdateAndAccumulateFour(T* w0, T* w1, T* w2, T* w3, T u0, T u1, T u2, T u3, T* dz,
        T a0, T a1, T a2, T a3, int h, T* z)
    {
        int v = TSimd.Count;
        int vectorEnd = h - h % v;
        TVec su0 = TSimd.Broadcast(u0), su1 = TSimd.Broadcast(u1), su2 = TSimd.Broadcast(u2), su3 = TSimd.Broadcast(u3);
        TVec sa0 = TSimd.Broadcast(a0), sa1 = TSimd.Broadcast(a1), sa2 = TSimd.Broadcast(a2), sa3 = TSimd.Broadcast(a3);
        for (int col = 0; col < vectorEnd; col += v)
        {
            TVec d = TSimd.Load(dz + col);
            TVec x0 = TSimd.MultiplyAdd(su0, d, TSimd.Load(w0 + col));
            TVec x1 = TSimd.MultiplyAdd(su1, d, TSimd.Load(w1 + col));
            TVec x2 = TSimd.MultiplyAdd(su2, d, TSimd.Load(w2 + col));
            TVec x3 = TSimd.MultiplyAdd(su3, d, TSimd.Load(w3 + col));
            TSimd.Store(x0, w0 + col);
            TSimd.Store(x1, w1 + col);
            TSimd.Store(x2, w2 + col);
            TSimd.Store(x3, w3 + col);
            TVec acc = TSimd.MultiplyAdd(sa0, x0, TSimd.Load(z + col));
            acc = TSimd.MultiplyAdd(sa1, x1, acc);
            acc = TSimd.MultiplyAdd(sa2, x2, acc);
            TSimd.Store(TSimd.MultiplyAdd(sa3, x3, acc), z + col);
        }
        for (int col = vectorEnd; col < h; col++)
        {
            w0[col] = T.FusedMultiplyAdd(u0, dz[col], w0[col]);
            w1[col] = T.FusedMultiplyAdd(u1, dz[col], w1[col]);
            w2[col] = T.FusedMultiplyAdd(u2, dz[col], w2[col]);
            w3[col] = T.FusedMultiplyAdd(u3, dz[col], w3[col]);
            T acc = T.FusedMultiplyAdd(a0, w0[col], z[col]);
            acc = T.FusedMultiplyAdd(a1, w1[col], acc);
            acc = T.FusedMultiplyAdd(a2, w2[col], acc);
            z[col] = T.FusedMultiplyAdd(a3, w3[col], acc);
        }
    }

    /// <summary>
    /// The sweep of the per-example step with deferred rows (<c>DeferredFirstLayer</c>): for each row j of
    /// <paramref name="rows"/> (increasing), four at a time, first its deferred update if it has one
    /// (<paramref name="slots"/>[j] ≥ 0: W[j, :] += deferred[j]·ring[slots[j], :], then slots[j] = −1), then
    /// z (h) += accumulate[r]·W[j, :]. A row's deferred update is the one its last image gave it, so per element the
    /// operations and their order are those of applying every update eagerly, row by row, then accumulating.
    /// </summary>
    public static void ApplyDeferredThenAccumulate(ReadOnlySpan<int> rows, ReadOnlySpan<T> accumulate, int* slots, T* deferred,
        T* ring, int h, T* w, T* z)
    {
        int r = 0;
        for (; r + 4 <= rows.Length; r += 4)
        {
            int j0 = rows[r], j1 = rows[r + 1], j2 = rows[r + 2], j3 = rows[r + 3];
            int s0 = slots[j0], s1 = slots[j1], s2 = slots[j2], s3 = slots[j3];
            T* w0 = w + (nint)j0 * h, w1 = w + (nint)j1 * h, w2 = w + (nint)j2 * h, w3 = w + (nint)j3 * h;
            T a0 = accumulate[r], a1 = accumulate[r + 1], a2 = accumulate[r + 2], a3 = accumulate[r + 3];
            if (s0 >= 0 && s0 == s1 && s0 == s2 && s0 == s3)
            {
                // the common case: four rows lit in the previous image too, all deferred from it
                UpdateAndAccumulateFour(w0, w1, w2, w3, deferred[j0], deferred[j1], deferred[j2], deferred[j3], ring + (nint)s0 * h,
                    a0, a1, a2, a3, h, z);
            }
            else if ((s0 | s1 | s2 | s3) >= 0)
            {
                UpdateAndAccumulateFour(w0, w1, w2, w3, deferred[j0], deferred[j1], deferred[j2], deferred[j3],
                    ring + (nint)s0 * h, ring + (nint)s1 * h, ring + (nint)s2 * h, ring + (nint)s3 * h, a0, a1, a2, a3, h, z);
            }
            else
            {
                // a row with nothing deferred is only read
                if (s0 >= 0) UpdateRow(w0, deferred[j0], ring + (nint)s0 * h, h);
                if (s1 >= 0) UpdateRow(w1, deferred[j1], ring + (nint)s1 * h, h);
                if (s2 >= 0) UpdateRow(w2, deferred[j2], ring + (nint)s2 * h, h);
                if (s3 >= 0) UpdateRow(w3, deferred[j3], ring + (nint)s3 * h, h);
                Accumulate(rows.Slice(r, 4), accumulate.Slice(r, 4), w, h, z);
            }
            slots[j0] = slots[j1] = slots[j2] = slots[j3] = -1;
        }
        for (; r < rows.Length; r++)
        {
            int j = rows[r];
            if (slots[j] >= 0)
                UpdateRow(w + (nint)j * h, deferred[j], ring + (nint)slots[j] * h, h);
            slots[j] = -1;
            Accumulate(rows.Slice(r, 1), accumulate.Slice(r, 1), w, h, z);
        }
    }

    // rows w0…w3: w_i += u_i·dz_i (each its own gradient row), then z += a_i·w_i, in order, each vector in registers.
    // Kept beside the one-gradient kernel above rather than replacing it: run for every block (dz, dz, dz, dz), float64
    // two-thread steps read 1–12 % slower (split-profile, alternated ×3).
    private static void UpdateAndAccumulateFour(T* w0, T* w1, T* w2, T* w3, T u0, T u1, T u2, T u3, T* d0, T* d1, T* d2, T* d3,
        T a0, T a1, T a2, T a3, int h, T* z)
    {
        int v = TSimd.Count;
        int vectorEnd = h - h % v;
        TVec su0 = TSimd.Broadcast(u0), su1 = TSimd.Broadcast(u1), su2 = TSimd.Broadcast(u2), su3 = TSimd.Broadcast(u3);
        TVec sa0 = TSimd.Broadcast(a0), sa1 = TSimd.Broadcast(a1), sa2 = TSimd.Broadcast(a2), sa3 = TSimd.Broadcast(a3);
        for (int col = 0; col < vectorEnd; col += v)
        {
            TVec x0 = TSimd.MultiplyAdd(su0, TSimd.Load(d0 + col), TSimd.Load(w0 + col));
            TVec x1 = TSimd.MultiplyAdd(su1, TSimd.Load(d1 + col), TSimd.Load(w1 + col));
            TVec x2 = TSimd.MultiplyAdd(su2, TSimd.Load(d2 + col), TSimd.Load(w2 + col));
            TVec x3 = TSimd.MultiplyAdd(su3, TSimd.Load(d3 + col), TSimd.Load(w3 + col));
            TSimd.Store(x0, w0 + col);
            TSimd.Store(x1, w1 + col);
            TSimd.Store(x2, w2 + col);
            TSimd.Store(x3, w3 + col);
            TVec acc = TSimd.MultiplyAdd(sa0, x0, TSimd.Load(z + col));
            acc = TSimd.MultiplyAdd(sa1, x1, acc);
            acc = TSimd.MultiplyAdd(sa2, x2, acc);
            TSimd.Store(TSimd.MultiplyAdd(sa3, x3, acc), z + col);
        }
        for (int col = vectorEnd; col < h; col++)
        {
            w0[col] = T.FusedMultiplyAdd(u0, d0[col], w0[col]);
            w1[col] = T.FusedMultiplyAdd(u1, d1[col], w1[col]);
            w2[col] = T.FusedMultiplyAdd(u2, d2[col], w2[col]);
            w3[col] = T.FusedMultiplyAdd(u3, d3[col], w3[col]);
            T acc = T.FusedMultiplyAdd(a0, w0[col], z[col]);
            acc = T.FusedMultiplyAdd(a1, w1[col], acc);
            acc = T.FusedMultiplyAdd(a2, w2[col], acc);
            z[col] = T.FusedMultiplyAdd(a3, w3[col], acc);
        }
    }

    // one row: w += c·dz
    private static void UpdateRow(T* wr, T c, T* dz, int h)
    {
        int v = TSimd.Count;
        int vectorEnd = h - h % v;
        TVec s = TSimd.Broadcast(c);
        for (int col = 0; col < vectorEnd; col += v)
            TSimd.Store(TSimd.MultiplyAdd(s, TSimd.Load(dz + col), TSimd.Load(wr + col)), wr + col);
        for (int col = vectorEnd; col < h; col++)
            wr[col] = T.FusedMultiplyAdd(c, dz[col], wr[col]);
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
