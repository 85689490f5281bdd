using System.Numerics;

namespace ScratchNet.Tensors.Internals;

/// <summary>
/// C = α·A·Bᵀ + β·C for few rows of C (a mini-batch's dX = dY·Wᵀ): A (m × k) and B (n × k) are both read in place
/// along k, so each element is a dot product of two contiguous rows, in the canonical order of
/// <see cref="CanonicalReduction"/> (the same bits at every vector width). Packing B would copy all of n × k for only
/// m uses each. Threads take column ranges; every element is one whole dot, so the thread count changes nothing.
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

    private static void RunColumns(in GemmArgs<T> g, int firstColumn, int endColumn)
    {
        int k = g.K;
        for (int i = 0; i < g.M; i++)
        {
            T* a = g.A + (nint)i * k;
            T* c = g.C + (nint)i * g.N;
            for (int j = firstColumn; j < endColumn; j++)
            {
                T dot = CanonicalReduction.Dot(ref *a, ref *(g.B + (nint)j * k), k);
                c[j] = g.Beta == T.Zero ? g.Alpha * dot : T.FusedMultiplyAdd(g.Alpha, dot, g.Beta * c[j]);
            }
        }
    }
}
