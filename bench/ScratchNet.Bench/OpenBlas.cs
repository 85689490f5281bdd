using System.Runtime.InteropServices;

namespace ScratchNet.Bench;

/// <summary>
/// The machine's OpenBLAS (Debian package libopenblas0, library libopenblas.so.0), the in-run reference for GEMM.
/// Benchmark-only: the ScratchNet library itself has no native dependency.
/// </summary>
internal static partial class OpenBlas
{
    private const string Library = "libopenblas.so.0";
    public const int RowMajor = 101;
    public const int NoTrans = 111;
    public const int Trans = 112;

    public const string InstallHint =
        "OpenBLAS (libopenblas.so.0) was not found; install it with: sudo apt-get install libopenblas0";

    [LibraryImport(Library, EntryPoint = "cblas_sgemm")]
    private static unsafe partial void Sgemm(int order, int transA, int transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [LibraryImport(Library, EntryPoint = "openblas_set_num_threads")]
    private static partial void SetNumThreadsNative(int threads);

    /// <summary>Throws with the apt-get hint when the library cannot be loaded.</summary>
    public static void EnsureAvailable()
    {
        if (!NativeLibrary.TryLoad(Library, typeof(OpenBlas).Assembly, null, out IntPtr handle))
            throw new InvalidOperationException(InstallHint);
        NativeLibrary.Free(handle);
    }

    public static void SetThreads(int threads)
    {
        EnsureAvailable();
        SetNumThreadsNative(threads);
    }

    /// <summary>Row-major C (m × n) = α·A(m × k)·B(k × n) + β·C.</summary>
    public static void Gemm(int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c)
        => Gemm(ScratchNet.Tensors.GemmLayout.Normal, m, n, k, alpha, a, b, beta, c);

    /// <summary>Row-major C (m × n) = α·op(A)·op(B) + β·C with the storage of <see cref="ScratchNet.Tensors.GemmLayout"/>.</summary>
    public static unsafe void Gemm(ScratchNet.Tensors.GemmLayout layout, int m, int n, int k, float alpha, float[] a,
        float[] b, float beta, float[] c)
    {
        bool transA = layout == ScratchNet.Tensors.GemmLayout.TransposeA;
        bool transB = layout == ScratchNet.Tensors.GemmLayout.TransposeB;
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
            Sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha,
                pa, transA ? m : k, pb, transB ? k : n, beta, pc, n);
    }
}
