using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors.Internals;

/// <summary>
/// C = α·A·Bᵀ + β·C for few rows of C (a mini-batch's dX = dY·Wᵀ): A (m × k) and B (n × k) are both read in place
/// along k, so each element is a dot product of two contiguous rows, in the canonical order of
/// <see cref="CanonicalReduction"/> (the same bits at every vector width). Packing B would copy all of n × k for only
/// m uses each. The lanes are held at the hardware's width (<see cref="ICanonicalLanes{T, TSelf}"/>: two Vector256
/// where there are no 512-bit vectors, so the four accumulators stay in registers). Register-blocked: one row of A against four rows of B, each dot with its own L-lane accumulator; the
/// partial last block of a row of B is read past the row's end (into the next row, masked away), so only the last
/// rows of B, and A's row (whose partial block is copied once per row), need the general dot. Threads take column
/// ranges; every element is one whole dot, so the thread count changes nothing.
/// </summary>
internal static unsafe class GemmDot<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int ColumnsPerTask = 4;

    /// <summary>Runs on the canonical lanes held at <paramref name="bits"/> (512, 256 or 128; the same bits at each).</summary>
    public static void Run(GemmArgs<T> g, int threads, int bits)
    {
        if (bits == 512)
            Run<Lanes512<T>>(g, threads);
        else if (bits == 256)
            Run<Lanes256<T>>(g, threads);
        else
            Run<Lanes128<T>>(g, threads);
    }

    private static void Run<TLanes>(GemmArgs<T> g, int threads) where TLanes : struct, ICanonicalLanes<T, TLanes>
    {
        int blocks = (g.N + ColumnsPerTask - 1) / ColumnsPerTask;
        if (threads == 1 || blocks < 2)
            RunColumns<TLanes>(g, 0, g.N);
        else
            RunParallel<TLanes>(g, threads, blocks);
    }

    // Its own method so that the one-thread path above allocates no closure (captured variables live in a
    // heap object created on entry to the method that declares them).
    private static void RunParallel<TLanes>(GemmArgs<T> g, int threads, int blocks) where TLanes : struct, ICanonicalLanes<T, TLanes>
    {
        int blocksPerTask = (blocks + threads - 1) / threads;
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        Parallel.For(0, (blocks + blocksPerTask - 1) / blocksPerTask, options, task =>
        {
            int first = task * blocksPerTask * ColumnsPerTask;
            RunColumns<TLanes>(g, first, Math.Min(g.N, first + blocksPerTask * ColumnsPerTask));
        });
    }

    // rows of A whose partial last blocks are padded at once (on the stack), and swept together past each block of
    // four rows of B, which stays in L1 meanwhile (B, n × k, is the large operand: 627 KB for W1 in float32)
    private const int RowsPerSweep = 16;

    [SkipLocalsInit]
    private static void RunColumns<TLanes>(in GemmArgs<T> g, int firstColumn, int endColumn) where TLanes : struct, ICanonicalLanes<T, TLanes>
    {
        int k = g.K, lanes = Vector512<T>.Count, full = k - k % lanes;
        // rows of B whose partial block (if any) ends inside B can be read past their end
        long slack = (long)g.N * k - full - lanes;
        int readable = full == k ? g.N : slack < 0 ? 0 : (int)Math.Min(g.N, slack / k + 1);
        int blockEnd = Math.Min(endColumn, readable);
        int fourEnd = firstColumn + Math.Max(0, blockEnd - firstColumn) / 4 * 4;
        TLanes mask = TLanes.LeadingLanes(k - full);
        T* aTails = stackalloc T[RowsPerSweep * 16];
        T* dots = stackalloc T[4];
        for (int i0 = 0; i0 < g.M; i0 += RowsPerSweep)
        {
            int rows = Math.Min(RowsPerSweep, g.M - i0);
            for (int r = 0; r < rows; r++)
            {
                T* a = g.A + (nint)(i0 + r) * k;
                for (int l = 0; l < lanes; l++)
                    aTails[r * 16 + l] = full + l < k ? a[full + l] : T.Zero;
            }
            // every element is one whole dot, so the order of the loops over i and j changes no bits
            for (int j = firstColumn; j < fourEnd; j += 4)
                for (int r = 0; r < rows; r++)
                    Block4(g, g.A + (nint)(i0 + r) * k, TLanes.Load(ref aTails[r * 16], 0), full, k, mask, g.C + (nint)(i0 + r) * g.N, j, dots);
            for (int r = 0; r < rows; r++)
            {
                T* a = g.A + (nint)(i0 + r) * k;
                T* c = g.C + (nint)(i0 + r) * g.N;
                int j = fourEnd;
                for (; j < blockEnd; j++)
                {
                    T* b = g.B + (nint)j * k;
                    var acc = CanonicalReduction.FullBlocks<T, TLanes>(ref *a, ref *b, full, TLanes.Zero);
                    if (full < k)
                        acc = CanonicalReduction.PartialBlock<T, TLanes>(TLanes.Load(ref aTails[r * 16], 0), TLanes.Load(ref *b, (nuint)full), acc, mask);
                    Store(g, c, j, TLanes.Combine(acc));
                }
                for (j = Math.Max(j, firstColumn); j < endColumn; j++)
                    Store(g, c, j, CanonicalReduction.Dot<T, TLanes>(ref *a, ref *(g.B + (nint)j * k), k));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block4<TLanes>(in GemmArgs<T> g, T* a, TLanes aLast, int full, int k, TLanes mask, T* c, int j, T* dots)
        where TLanes : struct, ICanonicalLanes<T, TLanes>
    {
        T* b0 = g.B + (nint)j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
        TLanes c0 = TLanes.Zero, c1 = c0, c2 = c0, c3 = c0;
        for (int p = 0; p < full; p += Vector512<T>.Count)
        {
            var x = TLanes.Load(ref *a, (nuint)p);
            c0 = TLanes.Fma(x, TLanes.Load(ref *b0, (nuint)p), c0);
            c1 = TLanes.Fma(x, TLanes.Load(ref *b1, (nuint)p), c1);
            c2 = TLanes.Fma(x, TLanes.Load(ref *b2, (nuint)p), c2);
            c3 = TLanes.Fma(x, TLanes.Load(ref *b3, (nuint)p), c3);
        }
        if (full < k)
        {
            c0 = CanonicalReduction.PartialBlock<T, TLanes>(aLast, TLanes.Load(ref *b0, (nuint)full), c0, mask);
            c1 = CanonicalReduction.PartialBlock<T, TLanes>(aLast, TLanes.Load(ref *b1, (nuint)full), c1, mask);
            c2 = CanonicalReduction.PartialBlock<T, TLanes>(aLast, TLanes.Load(ref *b2, (nuint)full), c2, mask);
            c3 = CanonicalReduction.PartialBlock<T, TLanes>(aLast, TLanes.Load(ref *b3, (nuint)full), c3, mask);
        }
        TLanes.Combine4(c0, c1, c2, c3, ref *dots);
        Store(g, c, j, dots[0]);
        Store(g, c, j + 1, dots[1]);
        Store(g, c, j + 2, dots[2]);
        Store(g, c, j + 3, dots[3]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(in GemmArgs<T> g, T* c, int j, T dot)
        => c[j] = g.Beta == T.Zero ? g.Alpha * dot : T.FusedMultiplyAdd(g.Alpha, dot, g.Beta * c[j]);
}
