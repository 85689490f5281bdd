using System.Runtime.InteropServices;
using ScratchNet.Tensors;

namespace ScratchNet.Benchmarking;

/// <summary>
/// The machine's OpenBLAS (Debian package libopenblas0, library libopenblas.so.0), a reference for GEMM speed.
/// Optional: <see cref="IsAvailable"/> says whether it loads; the ScratchNet library itself has no native dependency.
/// </summary>
public static partial class OpenBlas
{
    private const string Library = "libopenblas.so.0";
    private const int RowMajor = 101;
    private const int NoTrans = 111;
    private const int Trans = 112;

    public const string InstallHint =
        "OpenBLAS (libopenblas.so.0) was not found; install it with: sudo apt-get install libopenblas0";

    [LibraryImport(Library, EntryPoint = "cblas_sgemm")]
    private static unsafe partial void Sgemm(int order, int transA, int transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [LibraryImport(Library, EntryPoint = "openblas_set_num_threads")]
    private static partial void SetNumThreadsNative(int threads);

    /// <summary>True when libopenblas.so.0 can be loaded (never throws).</summary>
    public static bool IsAvailable
    {
        get
        {
            if (!NativeLibrary.TryLoad(Library, typeof(OpenBlas).Assembly, null, out var handle))
                return false;
            NativeLibrary.Free(handle);
            return true;
        }
    }

    /// <summary>Throws with the apt-get hint when the library cannot be loaded.</summary>
    public static void EnsureAvailable()
    {
        if (!IsAvailable)
            throw new InvalidOperationException(InstallHint);
    }

    public static void SetThreads(int threads)
    {
        EnsureAvailable();
        SetNumThreadsNative(threads);
    }

    /// <summary>Row-major C (m × n) = α·A(m × k)·B(k × n) + β·C.</summary>
    public static void Gemm(int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c)
        => Gemm(GemmLayout.Normal, m, n, k, alpha, a, b, beta, c);

    /// <summary>Row-major C (m × n) = α·op(A)·op(B) + β·C with the storage of <see cref="GemmLayout"/>.</summary>
    public static unsafe void Gemm(GemmLayout layout, int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c)
    {
        bool transA = layout == GemmLayout.TransposeA;
        bool transB = layout == GemmLayout.TransposeB;
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
            Sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha,
                pa, transA ? m : k, pb, transB ? k : n, beta, pc, n);
    }
}
