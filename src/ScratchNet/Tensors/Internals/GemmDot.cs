using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors.Internals;

/// <summary>
/// C = α·A·Bᵀ + β·C for few rows of C (a mini-batch's dX = dY·Wᵀ): A (m × k) and B (n × k) are both read in place
/// along k, so each element is a dot product of two contiguous rows, in the canonical order of
/// <see cref="CanonicalReduction"/> (the same bits at every vector width). Packing B would copy all of n × k for only
/// m uses each. Register-blocked: one row of A against four rows of B, each dot with its own L-lane accumulator; the
/// partial last block of a row of B is read past the row's end (into the next row, masked away), so only the last
/// rows of B, and A's row (whose partial block is copied once per row), need the general dot. Threads take column
/// ranges; every element is one whole dot, so the thread count changes nothing.
/// </summary>
internal static unsafe class GemmDot<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int ColumnsPerTask = 4;

    public static void Run(GemmArgs<T> g, int threads)
    {
        int blocks = (g.N + ColumnsPerTask - 1) / ColumnsPerTask;
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
            int first = task * blocksPerTask * ColumnsPerTask;
            RunColumns(g, first, Math.Min(g.N, first + blocksPerTask * ColumnsPerTask));
        });
    }

    [SkipLocalsInit]
    private static void RunColumns(in GemmArgs<T> g, int firstColumn, int endColumn)
    {
        int k = g.K, lanes = Vector512<T>.Count, full = k - k % lanes;
        // rows of B whose partial block (if any) ends inside B can be read past their end
        long slack = (long)g.N * k - full - lanes;
        int readable = full == k ? g.N : slack < 0 ? 0 : (int)Math.Min(g.N, slack / k + 1);
        Vector512<T> mask = CanonicalReduction.LeadingLanes<T>(k - full);
        T* aTail = stackalloc T[16];
        for (int i = 0; i < g.M; i++)
        {
            T* a = g.A + (nint)i * k;
            T* c = g.C + (nint)i * g.N;
            for (int l = 0; l < lanes; l++)
                aTail[l] = full + l < k ? a[full + l] : T.Zero;
            Vector512<T> aLast = Vector512.Load(aTail);
            int j = firstColumn, blockEnd = Math.Min(endColumn, readable);
            for (; j + 4 <= blockEnd; j += 4)
                Block4(g, a, aLast, full, k, mask, c, j);
            for (; j < blockEnd; j++)
            {
                T* b = g.B + (nint)j * k;
                var acc = Full(a, b, full, Vector512<T>.Zero);
                if (full < k)
                    acc = CanonicalReduction.PartialBlock(aLast, Vector512.Load(b + full), acc, mask);
                Store(g, c, j, CanonicalReduction.Combine(acc));
            }
            for (; j < endColumn; j++)
                Store(g, c, j, CanonicalReduction.Dot(ref *a, ref *(g.B + (nint)j * k), k));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block4(in GemmArgs<T> g, T* a, Vector512<T> aLast, int full, int k, Vector512<T> mask, T* c, int j)
    {
        T* b0 = g.B + (nint)j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
        Vector512<T> c0 = Vector512<T>.Zero, c1 = c0, c2 = c0, c3 = c0;
        for (int p = 0; p < full; p += Vector512<T>.Count)
        {
            var x = Vector512.Load(a + p);
            c0 = CanonicalReduction.Fma(x, Vector512.Load(b0 + p), c0);
            c1 = CanonicalReduction.Fma(x, Vector512.Load(b1 + p), c1);
            c2 = CanonicalReduction.Fma(x, Vector512.Load(b2 + p), c2);
            c3 = CanonicalReduction.Fma(x, Vector512.Load(b3 + p), c3);
        }
        if (full < k)
        {
            c0 = CanonicalReduction.PartialBlock(aLast, Vector512.Load(b0 + full), c0, mask);
            c1 = CanonicalReduction.PartialBlock(aLast, Vector512.Load(b1 + full), c1, mask);
            c2 = CanonicalReduction.PartialBlock(aLast, Vector512.Load(b2 + full), c2, mask);
            c3 = CanonicalReduction.PartialBlock(aLast, Vector512.Load(b3 + full), c3, mask);
        }
        Store(g, c, j, CanonicalReduction.Combine(c0));
        Store(g, c, j + 1, CanonicalReduction.Combine(c1));
        Store(g, c, j + 2, CanonicalReduction.Combine(c2));
        Store(g, c, j + 3, CanonicalReduction.Combine(c3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Full(T* a, T* b, int full, Vector512<T> acc)
    {
        for (int p = 0; p < full; p += Vector512<T>.Count)
            acc = CanonicalReduction.Fma(Vector512.Load(a + p), Vector512.Load(b + p), acc);
        return acc;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(in GemmArgs<T> g, T* c, int j, T dot)
        => c[j] = g.Beta == T.Zero ? g.Alpha * dot : T.FusedMultiplyAdd(g.Alpha, dot, g.Beta * c[j]);
}
