using System.Numerics;
using System.Numerics.Tensors;
using ScratchNet.Tensors.Internals;

namespace ScratchNet.Tensors;

/// <summary>How A and B are stored for <see cref="Gemm.Multiply{T}(GemmLayout, int, int, int, T, ReadOnlySpan{T}, ReadOnlySpan{T}, T, Span{T}, int)"/>.</summary>
public enum GemmLayout
{
    /// <summary>C = α·A·B + β·C; A is m × k, B is k × n (forward pass: X·W).</summary>
    Normal,
    /// <summary>C = α·A·Bᵀ + β·C; A is m × k, B is stored n × k (backward to the input: dY·Wᵀ).</summary>
    TransposeB,
    /// <summary>C = α·Aᵀ·B + β·C; A is stored k × m, B is k × n (weight gradient: Xᵀ·dY).</summary>
    TransposeA,
}

/// <summary>
/// General matrix multiply over row-major spans, C (m × n) = α·op(A)·op(B) + β·C with inner dimension k.
/// Cache-blocked and vectorised (see <c>docs/kernels.md</c>). Deterministic: the result is bit-identical whatever
/// <c>maxThreads</c> is, because threads split only the output, never the sum over k.
/// </summary>
public static class Gemm
{
    /// <summary>Below this many multiply-adds per thread, a second thread costs more than it saves.</summary>
    public const long MinMultiplyAddsPerThread = 1L << 21;

    /// <summary>
    /// C = α·op(A)·op(B) + β·C. β = 0 overwrites C without reading it. C must not overlap A or B.
    /// <c>maxThreads</c> bounds the threads; problems smaller than <see cref="MinMultiplyAddsPerThread"/> per
    /// thread use fewer. The result does not depend on it.
    /// </summary>
    public static void Multiply<T>(GemmLayout layout, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, ReadOnlySpan<T> b, T beta, Span<T> c, int maxThreads = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Multiply(layout, m, n, k, alpha, a, b, beta, c, maxThreads, SimdWidth.HardwareBits<T>());


    /// <summary>As the public overload with an explicit vector width, so tests can run every width's code.</summary>
    internal static unsafe void Multiply<T>(GemmLayout layout, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, ReadOnlySpan<T> b, T beta, Span<T> c, int maxThreads, int vectorBits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.IfNegative(m, nameof(m));
        ThrowHelper.IfNegative(n, nameof(n));
        ThrowHelper.IfNegative(k, nameof(k));
        ThrowHelper.IfLengthNot(a.Length, (long)m * k, nameof(a));
        ThrowHelper.IfLengthNot(b.Length, (long)k * n, nameof(b));
        ThrowHelper.IfLengthNot(c.Length, (long)m * n, nameof(c));
        ThrowHelper.IfOverlaps(a, c, nameof(a));
        ThrowHelper.IfOverlaps(b, c, nameof(b));
        ThrowHelper.IfLessThanOne(maxThreads);
        if (m == 0 || n == 0)
            return;
        if (k == 0 || alpha == T.Zero)
        {
            if (beta == T.Zero)
                c.Clear();
            else
                TensorPrimitives.Multiply(c, beta, c);
            return;
        }

        int threads = (int)Math.Clamp((long)m * n * k / MinMultiplyAddsPerThread, 1, maxThreads);
        fixed (T* pa = a)
        fixed (T* pb = b)
        fixed (T* pc = c)
        {
            var args = new GemmArgs<T>
            {
                M = m, N = n, K = k, Alpha = alpha, Beta = beta, C = pc,
                A = pa,
                RowStrideA = layout == GemmLayout.TransposeA ? 1 : k,
                ColStrideA = layout == GemmLayout.TransposeA ? m : 1,
                B = pb,
                RowStrideB = layout == GemmLayout.TransposeB ? 1 : n,
                ColStrideB = layout == GemmLayout.TransposeB ? k : 1,
            };
            if (layout == GemmLayout.TransposeB && m <= SmallBatchRows)
            {
                GemmDot<T>.Run(args, threads, vectorBits);
            }
            else
            {
                var kernel = new Kernel<T>(args, threads);
                SimdWidth.Run<T, Kernel<T>>(ref kernel, vectorBits);
            }
        }
    }

    /// <summary>
    /// Up to this many rows, A·Bᵀ is computed as dot products of rows read in place (no packing). Measured at
    /// 16 × 784 × 200: 1.9× the packed kernel; at 64 rows the two were level.
    /// </summary>
    private const int SmallBatchRows = 48;

    /// <summary>The blocked driver at the width it is run at.</summary>
    private readonly struct Kernel<T>(GemmArgs<T> args, int threads) : IWidthKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run<TVec, TSimd>() where TVec : struct where TSimd : ISimd<T, TVec>
            => GemmDriver<T, TVec, TSimd>.Run(args, threads);
    }
}
