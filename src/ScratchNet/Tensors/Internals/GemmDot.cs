using System.Numerics;
using System.Runtime.CompilerServices;

namespace ScratchNet.Tensors.Internals;

/// <summary>
/// C = α·A·Bᵀ + β·C for few rows of C (a mini-batch's dX = dY·Wᵀ): A (m × k) and B (n × k) are both read in place
/// along k, so each element is a dot product of two contiguous rows. Packing B would copy all of n × k for only m
/// uses each. Register-blocked 3 rows × 4 columns; every element's sum runs in the same order whichever block or
/// thread computes it (vector lanes over k, then the lane sum, then the scalar tail).
/// </summary>
internal static unsafe class GemmDot<T, TVec, TSimd>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TSimd : ISimd<T, TVec>
{
    private const int Rows = 3;
    private const int Cols = 4;

    public static void Run(GemmArgs<T> g, int threads)
    {
        int blocks = (g.N + Cols - 1) / Cols;
        if (threads == 1 || blocks < 2)
            RunColumns(g, 0, g.N);
        else
            RunParallel(g, threads, blocks);
    }

    // Its own method so that the one-thread path above allocates no closure (captured variables live in a
    // heap object created on entry to the method that declares them).
    private static void RunParallel(GemmArgs<T> g, int threads, int blocks)
    {
        int blocksPerTask = (blocks + threads - 1) / threads;
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        Parallel.For(0, (blocks + blocksPerTask - 1) / blocksPerTask, options, task =>
        {
            int first = task * blocksPerTask * Cols;
            RunColumns(g, first, Math.Min(g.N, first + blocksPerTask * Cols));
        });
    }

    private static void RunColumns(in GemmArgs<T> g, int firstColumn, int endColumn)
    {
        int k = g.K;
        for (int j = firstColumn; j < endColumn; j += Cols)
        {
            int cols = Math.Min(Cols, endColumn - j);
            for (int i = 0; i < g.M; i += Rows)
            {
                int rows = Math.Min(Rows, g.M - i);
                if (rows == Rows && cols == Cols)
                {
                    Block3x4(g, i, j);
                    continue;
                }
                for (int r = 0; r < rows; r++)
                    for (int c = 0; c < cols; c++)
                        Store(g, i + r, j + c, Dot(g.A + (nint)(i + r) * k, g.B + (nint)(j + c) * k, k));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block3x4(in GemmArgs<T> g, int i, int j)
    {
        int k = g.K, v = TSimd.Count;
        T* a0 = g.A + (nint)i * k, a1 = a0 + k, a2 = a1 + k;
        T* b0 = g.B + (nint)j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
        TVec c00 = TSimd.Zero, c01 = TSimd.Zero, c02 = TSimd.Zero, c03 = TSimd.Zero;
        TVec c10 = TSimd.Zero, c11 = TSimd.Zero, c12 = TSimd.Zero, c13 = TSimd.Zero;
        TVec c20 = TSimd.Zero, c21 = TSimd.Zero, c22 = TSimd.Zero, c23 = TSimd.Zero;
        int p = 0;
        for (; p + v <= k; p += v)
        {
            TVec x0 = TSimd.Load(a0 + p), x1 = TSimd.Load(a1 + p), x2 = TSimd.Load(a2 + p);
            TVec y = TSimd.Load(b0 + p);
            c00 = TSimd.MultiplyAdd(x0, y, c00); c10 = TSimd.MultiplyAdd(x1, y, c10); c20 = TSimd.MultiplyAdd(x2, y, c20);
            y = TSimd.Load(b1 + p);
            c01 = TSimd.MultiplyAdd(x0, y, c01); c11 = TSimd.MultiplyAdd(x1, y, c11); c21 = TSimd.MultiplyAdd(x2, y, c21);
            y = TSimd.Load(b2 + p);
            c02 = TSimd.MultiplyAdd(x0, y, c02); c12 = TSimd.MultiplyAdd(x1, y, c12); c22 = TSimd.MultiplyAdd(x2, y, c22);
            y = TSimd.Load(b3 + p);
            c03 = TSimd.MultiplyAdd(x0, y, c03); c13 = TSimd.MultiplyAdd(x1, y, c13); c23 = TSimd.MultiplyAdd(x2, y, c23);
        }
        Store(g, i, j, TSimd.Sum(c00) + Tail(a0, b0, p, k));
        Store(g, i, j + 1, TSimd.Sum(c01) + Tail(a0, b1, p, k));
        Store(g, i, j + 2, TSimd.Sum(c02) + Tail(a0, b2, p, k));
        Store(g, i, j + 3, TSimd.Sum(c03) + Tail(a0, b3, p, k));
        Store(g, i + 1, j, TSimd.Sum(c10) + Tail(a1, b0, p, k));
        Store(g, i + 1, j + 1, TSimd.Sum(c11) + Tail(a1, b1, p, k));
        Store(g, i + 1, j + 2, TSimd.Sum(c12) + Tail(a1, b2, p, k));
        Store(g, i + 1, j + 3, TSimd.Sum(c13) + Tail(a1, b3, p, k));
        Store(g, i + 2, j, TSimd.Sum(c20) + Tail(a2, b0, p, k));
        Store(g, i + 2, j + 1, TSimd.Sum(c21) + Tail(a2, b1, p, k));
        Store(g, i + 2, j + 2, TSimd.Sum(c22) + Tail(a2, b2, p, k));
        Store(g, i + 2, j + 3, TSimd.Sum(c23) + Tail(a2, b3, p, k));
    }

    /// <summary>The same sum as one element of <see cref="Block3x4"/>: vector lanes, lane sum, scalar tail.</summary>
    private static T Dot(T* a, T* b, int k)
    {
        int v = TSimd.Count;
        TVec acc = TSimd.Zero;
        int p = 0;
        for (; p + v <= k; p += v)
            acc = TSimd.MultiplyAdd(TSimd.Load(a + p), TSimd.Load(b + p), acc);
        return TSimd.Sum(acc) + Tail(a, b, p, k);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Tail(T* a, T* b, int p, int k)
    {
        T sum = T.Zero;
        for (; p < k; p++)
            sum = T.FusedMultiplyAdd(a[p], b[p], sum);
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(in GemmArgs<T> g, int i, int j, T dot)
    {
        T* c = g.C + (nint)i * g.N + j;
        *c = g.Beta == T.Zero ? g.Alpha * dot : T.FusedMultiplyAdd(g.Alpha, dot, g.Beta * *c);
    }
}
