using System.Numerics;
using System.Runtime.CompilerServices;

namespace ScratchNet.Tensors.Internals;

/// <summary>
/// The MR × NR micro-kernel of <see cref="GemmDriver{T, TVec, TSimd}"/> reading A in place from row-major storage
/// (m × k, rows <c>lda</c> apart: the forward X·W) instead of from a packed micro-panel, so A is never copied.
/// Each element's sum is the packed kernel's: the same FMAs over p in the same order, so results are bit-identical
/// whichever kernel computes a tile.
/// </summary>
internal static unsafe class GemmRowsKernel<T, TVec, TSimd>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TSimd : ISimd<T, TVec>
{
    /// <summary>tile (6 × 2 vectors) = A[0..6, 0..kc) (rows lda apart) · b-panel (kc × 2 vectors, rows bStride apart).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Full(int kc, T* a, nint lda, T* b, nint bStride, T* tile)
    {
        int v = TSimd.Count;
        T* a0 = a, a1 = a + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda;
        TVec c00 = TSimd.Zero, c01 = TSimd.Zero, c10 = TSimd.Zero, c11 = TSimd.Zero;
        TVec c20 = TSimd.Zero, c21 = TSimd.Zero, c30 = TSimd.Zero, c31 = TSimd.Zero;
        TVec c40 = TSimd.Zero, c41 = TSimd.Zero, c50 = TSimd.Zero, c51 = TSimd.Zero;
        for (nint p = 0; p < kc; p++)
        {
            TVec b0 = TSimd.Load(b);
            TVec b1 = TSimd.Load(b + v);
            TVec ai = TSimd.Broadcast(a0[p]);
            c00 = TSimd.MultiplyAdd(ai, b0, c00);
            c01 = TSimd.MultiplyAdd(ai, b1, c01);
            ai = TSimd.Broadcast(a1[p]);
            c10 = TSimd.MultiplyAdd(ai, b0, c10);
            c11 = TSimd.MultiplyAdd(ai, b1, c11);
            ai = TSimd.Broadcast(a2[p]);
            c20 = TSimd.MultiplyAdd(ai, b0, c20);
            c21 = TSimd.MultiplyAdd(ai, b1, c21);
            ai = TSimd.Broadcast(a3[p]);
            c30 = TSimd.MultiplyAdd(ai, b0, c30);
            c31 = TSimd.MultiplyAdd(ai, b1, c31);
            ai = TSimd.Broadcast(a4[p]);
            c40 = TSimd.MultiplyAdd(ai, b0, c40);
            c41 = TSimd.MultiplyAdd(ai, b1, c41);
            ai = TSimd.Broadcast(a5[p]);
            c50 = TSimd.MultiplyAdd(ai, b0, c50);
            c51 = TSimd.MultiplyAdd(ai, b1, c51);
            b += bStride;
        }
        int nr = 2 * v;
        TSimd.Store(c00, tile); TSimd.Store(c01, tile + v);
        TSimd.Store(c10, tile + nr); TSimd.Store(c11, tile + nr + v);
        TSimd.Store(c20, tile + 2 * nr); TSimd.Store(c21, tile + 2 * nr + v);
        TSimd.Store(c30, tile + 3 * nr); TSimd.Store(c31, tile + 3 * nr + v);
        TSimd.Store(c40, tile + 4 * nr); TSimd.Store(c41, tile + 4 * nr + v);
        TSimd.Store(c50, tile + 5 * nr); TSimd.Store(c51, tile + 5 * nr + v);
    }

    /// <summary>The left vector of <see cref="Full"/> only (a right-edge panel at most one vector wide); tile rows
    /// are <paramref name="nr"/> apart and their right halves are left as they were.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Half(int kc, T* a, nint lda, T* b, nint bStride, T* tile, int nr)
    {
        T* a0 = a, a1 = a + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda;
        TVec c0 = TSimd.Zero, c1 = TSimd.Zero, c2 = TSimd.Zero, c3 = TSimd.Zero, c4 = TSimd.Zero, c5 = TSimd.Zero;
        for (nint p = 0; p < kc; p++)
        {
            TVec b0 = TSimd.Load(b);
            c0 = TSimd.MultiplyAdd(TSimd.Broadcast(a0[p]), b0, c0);
            c1 = TSimd.MultiplyAdd(TSimd.Broadcast(a1[p]), b0, c1);
            c2 = TSimd.MultiplyAdd(TSimd.Broadcast(a2[p]), b0, c2);
            c3 = TSimd.MultiplyAdd(TSimd.Broadcast(a3[p]), b0, c3);
            c4 = TSimd.MultiplyAdd(TSimd.Broadcast(a4[p]), b0, c4);
            c5 = TSimd.MultiplyAdd(TSimd.Broadcast(a5[p]), b0, c5);
            b += bStride;
        }
        TSimd.Store(c0, tile); TSimd.Store(c1, tile + nr); TSimd.Store(c2, tile + 2 * nr);
        TSimd.Store(c3, tile + 3 * nr); TSimd.Store(c4, tile + 4 * nr); TSimd.Store(c5, tile + 5 * nr);
    }
}
