using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors.Internals;

/// <summary>
/// C = α·A·Bᵀ + β·C for few rows of C (a mini-batch's dX = dY·Wᵀ): A (m × k) and B (n × k) are both read in place
/// along k, so each element is a dot product of two contiguous rows, in the canonical order of
/// <see cref="CanonicalReduction"/> (the same bits at every vector width). Packing B would copy all of n × k for only
/// m uses each. The lanes are held at the hardware's width (<see cref="ICanonicalLanes{T, TSelf}"/>: two Vector256
/// where there are no 512-bit vectors, so the accumulators stay in registers). Register-blocked: one row of A against
/// four rows of B (on AVX2 from k = 64, three rows of A, one half of the lanes at a time), each dot with its own L-lane
/// accumulator; the partial last block of a row of B is read past the row's end (into the next row, masked away), so only the last
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
        T* halves = stackalloc T[12 * 32 / sizeof(T)];
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
            {
                int r = 0;
                if (typeof(TLanes) == typeof(Lanes256<T>) && full >= HalvesMinDepth)
                {
                    for (; r + 3 <= rows; r += 3)
                        Block3x4Halves(g, i0 + r, j, full, aTails + r * 16, halves, dots);
                }
                for (; r < rows; r++)
                    Block4(g, g.A + (nint)(i0 + r) * k, TLanes.Load(ref aTails[r * 16], 0), full, k, mask, g.C + (nint)(i0 + r) * g.N, j, dots);
            }
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

    // From this depth of full blocks (k ≥ 64 + the partial block) the two-halves kernel below pays for its second pass.
    private const int HalvesMinDepth = 64;

    /// <summary>
    /// Rows i…i+2 of A against rows j…j+3 of B where the L lanes are two Vector256 halves (AVX2): one half at a time,
    /// so the block's twelve accumulators are single registers (3 + 4 loads per 12 fused multiply-adds, main's kernel's
    /// ratio, instead of Block4's 10 per 8); the first half's accumulators wait in <paramref name="halves"/> while the
    /// second half runs, then the two are added (the first halving step) and combined as Block4 combines. Per lane the
    /// same operations in the same order as Block4, so the same bits. <paramref name="aTails"/> holds the three rows'
    /// zero-padded partial blocks (16 apart); the rows of B are read past their end (the caller's readable range).
    /// </summary>
    [SkipLocalsInit]
    private static void Block3x4Halves(in GemmArgs<T> g, int i, int j, int full, T* aTails, T* halves, T* dots)
    {
        int k = g.K, width = Vector256<T>.Count, lanes = Vector512<T>.Count;
        T* a0 = g.A + (nint)i * k, a1 = a0 + k, a2 = a1 + k;
        T* b0 = g.B + (nint)j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
        for (int half = 0; half < 2; half++)
        {
            int o = half * width;
            Vector256<T> c00 = default, c01 = default, c02 = default, c03 = default;
            Vector256<T> c10 = default, c11 = default, c12 = default, c13 = default;
            Vector256<T> c20 = default, c21 = default, c22 = default, c23 = default;
            for (int p = o; p < full; p += lanes)
            {
                Vector256<T> x0 = Vector256.Load(a0 + p), x1 = Vector256.Load(a1 + p), x2 = Vector256.Load(a2 + p);
                var y = Vector256.Load(b0 + p);
                c00 = CanonicalFma.Of(x0, y, c00); c10 = CanonicalFma.Of(x1, y, c10); c20 = CanonicalFma.Of(x2, y, c20);
                y = Vector256.Load(b1 + p);
                c01 = CanonicalFma.Of(x0, y, c01); c11 = CanonicalFma.Of(x1, y, c11); c21 = CanonicalFma.Of(x2, y, c21);
                y = Vector256.Load(b2 + p);
                c02 = CanonicalFma.Of(x0, y, c02); c12 = CanonicalFma.Of(x1, y, c12); c22 = CanonicalFma.Of(x2, y, c22);
                y = Vector256.Load(b3 + p);
                c03 = CanonicalFma.Of(x0, y, c03); c13 = CanonicalFma.Of(x1, y, c13); c23 = CanonicalFma.Of(x2, y, c23);
            }
            if (full < k)
            {
                // the partial block's lanes of this half: those below k − full take the fma, the others keep acc
                var mask = Vector256.LessThan(Vector256<T>.Indices, Vector256.Create(T.CreateTruncating(k - full - o)));
                Vector256<T> x0 = Vector256.Load(aTails + o), x1 = Vector256.Load(aTails + 16 + o), x2 = Vector256.Load(aTails + 32 + o);
                var y = Vector256.Load(b0 + full + o);
                c00 = Partial(x0, y, c00, mask); c10 = Partial(x1, y, c10, mask); c20 = Partial(x2, y, c20, mask);
                y = Vector256.Load(b1 + full + o);
                c01 = Partial(x0, y, c01, mask); c11 = Partial(x1, y, c11, mask); c21 = Partial(x2, y, c21, mask);
                y = Vector256.Load(b2 + full + o);
                c02 = Partial(x0, y, c02, mask); c12 = Partial(x1, y, c12, mask); c22 = Partial(x2, y, c22, mask);
                y = Vector256.Load(b3 + full + o);
                c03 = Partial(x0, y, c03, mask); c13 = Partial(x1, y, c13, mask); c23 = Partial(x2, y, c23, mask);
            }
            if (half == 0)
            {
                c00.Store(halves); c01.Store(halves + width); c02.Store(halves + 2 * width); c03.Store(halves + 3 * width);
                c10.Store(halves + 4 * width); c11.Store(halves + 5 * width); c12.Store(halves + 6 * width); c13.Store(halves + 7 * width);
                c20.Store(halves + 8 * width); c21.Store(halves + 9 * width); c22.Store(halves + 10 * width); c23.Store(halves + 11 * width);
                continue;
            }
            T* c = g.C + (nint)i * g.N;
            CombineRow(g, c, j, halves, c00, c01, c02, c03, dots);
            CombineRow(g, c + g.N, j, halves + 4 * width, c10, c11, c12, c13, dots);
            CombineRow(g, c + 2 * g.N, j, halves + 8 * width, c20, c21, c22, c23, dots);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Partial(Vector256<T> x, Vector256<T> y, Vector256<T> acc, Vector256<T> mask)
        => Vector256.ConditionalSelect(mask, CanonicalFma.Of(x, y, acc), acc);

    // the lower halves (stored) + the upper halves: Lanes256's first halving step; then Combine4 and the stores
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CombineRow(in GemmArgs<T> g, T* c, int j, T* lower, Vector256<T> u0, Vector256<T> u1, Vector256<T> u2, Vector256<T> u3, T* dots)
    {
        int width = Vector256<T>.Count;
        CanonicalFma.Combine4(Vector256.Load(lower) + u0, Vector256.Load(lower + width) + u1, Vector256.Load(lower + 2 * width) + u2,
            Vector256.Load(lower + 3 * width) + u3, ref *dots);
        Store(g, c, j, dots[0]);
        Store(g, c, j + 1, dots[1]);
        Store(g, c, j + 2, dots[2]);
        Store(g, c, j + 3, dots[3]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(in GemmArgs<T> g, T* c, int j, T dot)
        => c[j] = g.Beta == T.Zero ? g.Alpha * dot : T.FusedMultiplyAdd(g.Alpha, dot, g.Beta * c[j]);
}
