using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ScratchNet.Tensors.Internals;

/// <summary>
/// Cache-blocked GEMM in the BLIS/GotoBLAS scheme, written once over the vector width <typeparamref name="TSimd"/>.
/// Loops, outermost first: jc (NC columns of B, the packed B panel lives in L3), pc (KC of the k dimension),
/// ic (MC rows of A, the packed A block lives in L2; row-major A is read in place instead), jr (NR columns, one B
/// micro-panel stays in L1), ir (MR rows), then the MR × NR register-blocked micro-kernel over kc.
/// Threads share the packed B panel and split the (ic, jr) output blocks, or, when A is read in place, take column
/// ranges of C each; k is never split, so every element of C is summed in the same order whatever the thread count.
/// </summary>
internal static unsafe class GemmDriver<T, TVec, TSimd>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TSimd : ISimd<T, TVec>
{
    /// <summary>Rows of the micro-tile; with 2 vectors of columns that is 12 accumulators + 2 B + 1 A registers.</summary>
    public const int MR = 6;
    private const int KC = 256;
    private const int NC = 4096;

    /// <summary>Columns of the micro-tile: two vectors.</summary>
    public static int NR => 2 * TSimd.Count;

    /// <summary>
    /// Up to this many rows of C (a small mini-batch), row-major B is read in place instead of packed: packing
    /// copies all of k × n for only m/MR uses (measured at the MLP shapes: in place wins at m = 16 and 64, packing
    /// at m = 256 and for square 512³).
    /// </summary>
    private const int DirectBMaxRows = 96;

    /// <summary>Rows of the packed A block: about 170 KB, half of a 512 KB L2.</summary>
    private static int MC => sizeof(T) == 4 ? 168 : 84;

    public static void Run(in GemmArgs<T> g, int threads)
    {
        if (threads > 1 && AMode(g) == AAccess.RowsInPlace)
            RunColumnRanges(g, threads);
        else
            RunColumns(g, 0, g.N, threads);
    }

    /// <summary>
    /// With A read in place no thread packs A, so threads split C's columns instead of its rows: each column range
    /// packs only its own columns of B and runs the whole sequential loop nest on them, one fork and join per call
    /// (a row split forks once per k block, after the calling thread alone has packed that block of B for all).
    /// There are <see cref="ColumnTasksPerThread"/> ranges per thread, of whole micro-panels, handed out as threads
    /// come free: on a busy machine a late second thread then costs little, where with one range each the caller
    /// would wait for it. Every element of C gets the sequential sums in the same order.
    /// </summary>
    private static void RunColumnRanges(GemmArgs<T> g, int threads)
    {
        int nr = NR;
        int tasks = Math.Min(CeilDiv(g.N, nr), threads * ColumnTasksPerThread);
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        Parallel.For(0, tasks, options, task =>
        {
            int first = ColumnBound(g.N, nr, task, tasks), end = ColumnBound(g.N, nr, task + 1, tasks);
            if (first < end)
                RunColumns(g, first, end, 1);
        });
    }

    private const int ColumnTasksPerThread = 4;

    /// <summary>Where column range <paramref name="task"/> of <paramref name="tasks"/> starts: a multiple of NR.</summary>
    internal static int ColumnBound(int n, int nr, int task, int tasks)
        => task == tasks ? n : Math.Min(n, nr * (int)Math.Round((double)task * n / ((double)tasks * nr), MidpointRounding.AwayFromZero));

    /// <summary>Columns <paramref name="firstColumn"/> .. <paramref name="endColumn"/>-1 of C; threads split its rows.</summary>
    private static void RunColumns(in GemmArgs<T> g, int firstColumn, int endColumn, int threads)
    {
        int nr = NR;
        int kcMax = BlockDepth(g.K);
        int ncMax = Math.Min(NC, RoundUp(endColumn - firstColumn, nr));
        int aPackLength = kcMax * Math.Min(MC, RoundUp(g.M, MR));
        // Pooled (not freshly mapped) buffers: at 256³ page-faulting new pack buffers each call costs ~10%.
        bool packB = !(g.ColStrideB == 1 && g.M <= DirectBMaxRows);
        T[] bArray = Rent(packB ? kcMax * ncMax : kcMax * nr);
        T[] aArray = Rent(threads == 1 ? aPackLength : 0);
        try
        {
            fixed (T* bRaw = bArray)
            fixed (T* aRaw = aArray)
            {
                T* bPack = Align(bRaw), aPack = Align(aRaw);
                for (int jc = firstColumn; jc < endColumn; jc += NC)
                {
                    int nc = Math.Min(NC, endColumn - jc);
                    for (int pc = 0; pc < g.K; pc += kcMax)
                    {
                        int kc = Math.Min(kcMax, g.K - pc);
                        if (packB)
                            PackB(g, pc, kc, jc, nc, bPack);
                        else if (nc % nr != 0)
                            PackB(g, pc, kc, jc + nc - nc % nr, nc % nr, bPack); // only the ragged right edge
                        var block = new Block(jc, nc, pc, kc, pc == 0 ? g.Beta : T.One, packB);
                        if (threads == 1)
                            RunSequential(g, block, aPack, bPack);
                        else
                            RunParallel(g, block, bPack, threads, aPackLength);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(bArray);
            ArrayPool<T>.Shared.Return(aArray);
        }
    }

    /// <summary>
    /// The depth of each k block: k split into the fewest blocks of at most <see cref="KC"/>, as evenly as whole
    /// multiples allow (784 → 4 × 196, not 3 × 256 + 16, whose thin last block pays a full read-modify-write of C for
    /// little work). Depends on k only, so the summation order does not depend on the thread count.
    /// </summary>
    internal static int BlockDepth(int k) => CeilDiv(k, CeilDiv(k, KC));

    private readonly record struct Block(int Jc, int Nc, int Pc, int Kc, T Beta, bool PackedB);

    private static void RunSequential(in GemmArgs<T> g, Block block, T* aPack, T* bPack)
    {
        int panels = CeilDiv(block.Nc, NR);
        for (int ic = 0; ic < g.M; ic += MC)
            RunTask(g, block, ic, Math.Min(MC, g.M - ic), 0, panels, aPack, bPack);
    }

    /// <summary>
    /// Splits the output between threads: into row blocks of equal size (a multiple of MR, at most MC, a multiple
    /// of <paramref name="threads"/> in number) when there are enough rows, else into column ranges of micro-panels.
    /// Row-block size does not change any element's arithmetic, so the result is the sequential one.
    /// </summary>
    private static void RunParallel(GemmArgs<T> g, Block block, T* bPack, int threads, int aPackLength)
    {
        int panels = CeilDiv(block.Nc, NR);
        int rowsPerTask, rowTasks, chunks;
        if (g.M >= threads * 4 * MR)
        {
            int tasks = RoundUp(CeilDiv(g.M, MC), threads);
            rowsPerTask = Math.Min(MC, RoundUp(CeilDiv(g.M, tasks), MR));
            rowTasks = CeilDiv(g.M, rowsPerTask);
            chunks = 1;
        }
        else
        {
            rowsPerTask = MC;
            rowTasks = CeilDiv(g.M, MC);
            chunks = Math.Min(panels, CeilDiv(threads, rowTasks));
        }
        int panelsPerChunk = CeilDiv(panels, chunks);
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        nint bShared = (nint)bPack;
        Parallel.For(0, rowTasks * chunks, options,
            () => Rent(aPackLength),
            (task, _, aArray) =>
            {
                int ic = task / chunks * rowsPerTask;
                int first = task % chunks * panelsPerChunk;
                int last = Math.Min(panels, first + panelsPerChunk);
                if (first < last)
                {
                    fixed (T* aRaw = aArray)
                        RunTask(g, block, ic, Math.Min(rowsPerTask, g.M - ic), first, last, Align(aRaw), (T*)bShared);
                }
                return aArray;
            },
            aArray => ArrayPool<T>.Shared.Return(aArray));
    }

    /// <summary>Rows ic .. ic+mc of C against B micro-panels first .. last-1 of the current packed B panel.</summary>
    private static void RunTask(in GemmArgs<T> g, Block block, int ic, int mc, int first, int last, T* aPack, T* bPack)
    {
        int nr = NR;
        int kc = block.Kc;
        var aMode = AMode(g);
        if (aMode == AAccess.Packed)
            PackA(g, ic, mc, block.Pc, kc, aPack);
        else if (mc % MR != 0)
            PackA(g, ic + mc - mc % MR, mc % MR, block.Pc, kc, aPack); // only the ragged bottom edge
        T* tile = stackalloc T[MR * nr];
        for (int panel = first; panel < last; panel++)
        {
            int j = block.Jc + panel * nr;
            int cols = Math.Min(nr, block.Jc + block.Nc - j);
            T* bPanel = bPack + (nint)panel * nr * kc;
            nint bStride = nr;
            if (!block.PackedB)
            {
                bool inPlace = cols == nr;
                bPanel = inPlace ? g.B + block.Pc * g.RowStrideB + j : bPack;
                bStride = inPlace ? g.RowStrideB : nr;
            }
            bool half = cols <= TSimd.Count;
            for (int ir = 0; ir < mc; ir += MR)
            {
                int rows = Math.Min(MR, mc - ir);
                if (aMode == AAccess.Packed || rows < MR)
                {
                    T* aPanel = aMode == AAccess.Packed ? aPack + (nint)ir * kc : aPack;
                    if (half)
                        MicroKernelHalf(kc, aPanel, bPanel, bStride, tile);
                    else
                        MicroKernel(kc, aPanel, bPanel, bStride, tile);
                }
                else
                {
                    T* aRows = g.A + (ic + ir) * g.RowStrideA + block.Pc;
                    if (half)
                        GemmRowsKernel<T, TVec, TSimd>.Half(kc, aRows, g.RowStrideA, bPanel, bStride, tile, nr);
                    else
                        GemmRowsKernel<T, TVec, TSimd>.Full(kc, aRows, g.RowStrideA, bPanel, bStride, tile);
                }
                T* c = g.C + (nint)(ic + ir) * g.N + j;
                if (cols == nr)
                    MergeFullWidth(tile, rows, c, g.N, g.Alpha, block.Beta);
                else
                    MergePartial(tile, rows, cols, c, g.N, g.Alpha, block.Beta);
            }
        }
    }

    /// <summary>How the micro-kernel reads op(A).</summary>
    private enum AAccess
    {
        /// <summary>Copied into MR-row micro-panels first (PackA).</summary>
        Packed,
        /// <summary>A stored row-major (m × k): MR row pointers, each read along k (<see cref="GemmRowsKernel{T, TVec, TSimd}"/>).</summary>
        RowsInPlace,
    }

    /// <summary>
    /// Row-major A is read in place (measured float32, one thread: 256 × 784 · 784 × 200 from 78 to 88 GFLOP/s,
    /// 256³ 81 → 93, 512³ 88 → 93), unless its rows are a multiple of 4 KB apart: then the MR rows would share L1
    /// sets, and packing keeps 1024³ at its rate. Aᵀ is packed: adjacent values per p copy cheaply, and the packed
    /// panel read faster than Aᵀ in place (784 × 256ᵀ · 256 × 200: packed 90, in place 81 GFLOP/s).
    /// </summary>
    private static AAccess AMode(in GemmArgs<T> g)
        => g.ColStrideA == 1 && g.RowStrideA * sizeof(T) % 4096 != 0 ? AAccess.RowsInPlace : AAccess.Packed;

    /// <summary>tile (MR × NR) = a-panel (kc × MR, packed) · b-panel (kc × NR, rows bStride apart).
    /// Kept out of line so that its loop has the general-purpose registers to itself (inlined, the JIT spilled
    /// loop variables to the stack), and optimised at once since it is always hot.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernel(int kc, T* a, T* b, nint bStride, T* tile)
    {
        int v = TSimd.Count;
        TVec c00 = TSimd.Zero, c01 = TSimd.Zero, c10 = TSimd.Zero, c11 = TSimd.Zero;
        TVec c20 = TSimd.Zero, c21 = TSimd.Zero, c30 = TSimd.Zero, c31 = TSimd.Zero;
        TVec c40 = TSimd.Zero, c41 = TSimd.Zero, c50 = TSimd.Zero, c51 = TSimd.Zero;
        for (int p = 0; p < kc; p++)
        {
            TVec b0 = TSimd.Load(b);
            TVec b1 = TSimd.Load(b + v);
            TVec ai = TSimd.Broadcast(a[0]);
            c00 = TSimd.MultiplyAdd(ai, b0, c00);
            c01 = TSimd.MultiplyAdd(ai, b1, c01);
            ai = TSimd.Broadcast(a[1]);
            c10 = TSimd.MultiplyAdd(ai, b0, c10);
            c11 = TSimd.MultiplyAdd(ai, b1, c11);
            ai = TSimd.Broadcast(a[2]);
            c20 = TSimd.MultiplyAdd(ai, b0, c20);
            c21 = TSimd.MultiplyAdd(ai, b1, c21);
            ai = TSimd.Broadcast(a[3]);
            c30 = TSimd.MultiplyAdd(ai, b0, c30);
            c31 = TSimd.MultiplyAdd(ai, b1, c31);
            ai = TSimd.Broadcast(a[4]);
            c40 = TSimd.MultiplyAdd(ai, b0, c40);
            c41 = TSimd.MultiplyAdd(ai, b1, c41);
            ai = TSimd.Broadcast(a[5]);
            c50 = TSimd.MultiplyAdd(ai, b0, c50);
            c51 = TSimd.MultiplyAdd(ai, b1, c51);
            a += MR;
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

    /// <summary>
    /// The left half of <see cref="MicroKernel"/> (one vector of columns) for a right-edge panel at most that wide,
    /// e.g. the last 8 of n = 200 with NR = 16: same sums in the same order, half the work. The tile's right half
    /// is left as it was; only its first <c>cols</c> columns are merged.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernelHalf(int kc, T* a, T* b, nint bStride, T* tile)
    {
        TVec c0 = TSimd.Zero, c1 = TSimd.Zero, c2 = TSimd.Zero, c3 = TSimd.Zero, c4 = TSimd.Zero, c5 = TSimd.Zero;
        for (int p = 0; p < kc; p++)
        {
            TVec b0 = TSimd.Load(b);
            c0 = TSimd.MultiplyAdd(TSimd.Broadcast(a[0]), b0, c0);
            c1 = TSimd.MultiplyAdd(TSimd.Broadcast(a[1]), b0, c1);
            c2 = TSimd.MultiplyAdd(TSimd.Broadcast(a[2]), b0, c2);
            c3 = TSimd.MultiplyAdd(TSimd.Broadcast(a[3]), b0, c3);
            c4 = TSimd.MultiplyAdd(TSimd.Broadcast(a[4]), b0, c4);
            c5 = TSimd.MultiplyAdd(TSimd.Broadcast(a[5]), b0, c5);
            a += MR;
            b += bStride;
        }
        int nr = NR;
        TSimd.Store(c0, tile); TSimd.Store(c1, tile + nr); TSimd.Store(c2, tile + 2 * nr);
        TSimd.Store(c3, tile + 3 * nr); TSimd.Store(c4, tile + 4 * nr); TSimd.Store(c5, tile + 5 * nr);
    }

    /// <summary>C[r, 0..NR) = α·tile + β·C (β = 0 never reads C, so NaN in C is overwritten).</summary>
    private static void MergeFullWidth(T* tile, int rows, T* c, int ldc, T alpha, T beta)
    {
        int v = TSimd.Count;
        TVec alphaV = TSimd.Broadcast(alpha);
        TVec betaV = TSimd.Broadcast(beta);
        bool readC = beta != T.Zero;
        for (int r = 0; r < rows; r++, c += ldc, tile += 2 * v)
        {
            TVec lo = TSimd.Load(tile), hi = TSimd.Load(tile + v);
            if (readC)
            {
                lo = TSimd.MultiplyAdd(alphaV, lo, TSimd.Multiply(betaV, TSimd.Load(c)));
                hi = TSimd.MultiplyAdd(alphaV, hi, TSimd.Multiply(betaV, TSimd.Load(c + v)));
            }
            else
            {
                lo = TSimd.Multiply(alphaV, lo);
                hi = TSimd.Multiply(alphaV, hi);
            }
            TSimd.Store(lo, c);
            TSimd.Store(hi, c + v);
        }
    }

    /// <summary>The right edge: same arithmetic as <see cref="MergeFullWidth"/>, element by element.</summary>
    private static void MergePartial(T* tile, int rows, int cols, T* c, int ldc, T alpha, T beta)
    {
        int nr = NR;
        TVec alphaV = TSimd.Broadcast(alpha);
        TVec betaV = TSimd.Broadcast(beta);
        bool readC = beta != T.Zero;
        T* row = stackalloc T[nr];
        for (int r = 0; r < rows; r++, c += ldc, tile += nr)
        {
            new Span<T>(c, cols).CopyTo(new Span<T>(row, nr));
            for (int h = 0; h < nr; h += TSimd.Count)
            {
                TVec t = TSimd.Load(tile + h);
                TVec result = readC
                    ? TSimd.MultiplyAdd(alphaV, t, TSimd.Multiply(betaV, TSimd.Load(row + h)))
                    : TSimd.Multiply(alphaV, t);
                TSimd.Store(result, row + h);
            }
            new Span<T>(row, cols).CopyTo(new Span<T>(c, cols));
        }
    }

    /// <summary>op(A)[ic.., pc..] (mc × kc) into MR-row micro-panels, each kc × MR, zero-padded to whole panels.</summary>
    private static void PackA(in GemmArgs<T> g, int ic, int mc, int pc, int kc, T* destination)
    {
        for (int ir = 0; ir < mc; ir += MR)
        {
            int rows = Math.Min(MR, mc - ir);
            T* panel = destination + (nint)ir * kc;
            T* source = g.A + (ic + ir) * g.RowStrideA + pc * g.ColStrideA;
            if (g.ColStrideA == 1)
            {
                for (int r = 0; r < rows; r++)
                {
                    T* s = source + r * g.RowStrideA;
                    for (int p = 0; p < kc; p++)
                        panel[p * MR + r] = s[p];
                }
            }
            else if (g.RowStrideA == 1 && rows == MR)
            {
                // Aᵀ stored: the MR values of each p are adjacent, one block copy (vector moves) per p
                for (int p = 0; p < kc; p++)
                    Unsafe.CopyBlockUnaligned(panel + p * MR, source + p * g.ColStrideA, (uint)(MR * sizeof(T)));
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    T* s = source + p * g.ColStrideA;
                    for (int r = 0; r < rows; r++)
                        panel[p * MR + r] = s[r * g.RowStrideA];
                }
            }
            for (int r = rows; r < MR; r++)
                for (int p = 0; p < kc; p++)
                    panel[p * MR + r] = T.Zero;
        }
    }

    /// <summary>op(B)[pc.., jc..] (kc × nc) into NR-column micro-panels, each kc × NR, zero-padded.</summary>
    private static void PackB(in GemmArgs<T> g, int pc, int kc, int jc, int nc, T* destination)
    {
        int nr = NR;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            T* panel = destination + (nint)jr * kc;
            T* source = g.B + pc * g.RowStrideB + (jc + jr) * g.ColStrideB;
            if (g.ColStrideB == 1 && cols == nr)
            {
                // a whole panel: two vector loads and stores per row (a span copy per 64-byte row cost more in calls)
                int v = TSimd.Count;
                for (int p = 0; p < kc; p++)
                {
                    T* row = source + p * g.RowStrideB;
                    TSimd.Store(TSimd.Load(row), panel + p * nr);
                    TSimd.Store(TSimd.Load(row + v), panel + p * nr + v);
                }
            }
            else if (g.ColStrideB == 1)
            {
                for (int p = 0; p < kc; p++)
                {
                    new ReadOnlySpan<T>(source + p * g.RowStrideB, cols).CopyTo(new Span<T>(panel + p * nr, cols));
                    new Span<T>(panel + p * nr + cols, nr - cols).Clear();
                }
            }
            else
            {
                for (int j = 0; j < cols; j++)
                {
                    T* s = source + j * g.ColStrideB;
                    for (int p = 0; p < kc; p++)
                        panel[p * nr + j] = s[p * g.RowStrideB];
                }
                for (int p = 0; p < kc; p++)
                    new Span<T>(panel + p * nr + cols, nr - cols).Clear();
            }
        }
    }

    private const int Alignment = 64;

    /// <summary>A pooled array with room to start the buffer at a 64-byte boundary (see <see cref="Align"/>).</summary>
    private static T[] Rent(int length) => ArrayPool<T>.Shared.Rent(length + Alignment / sizeof(T));

    private static T* Align(T* pointer) => (T*)(((nint)pointer + (Alignment - 1)) & ~(nint)(Alignment - 1));

    private static int CeilDiv(int a, int b) => (a + b - 1) / b;

    private static int RoundUp(int a, int b) => CeilDiv(a, b) * b;
}
