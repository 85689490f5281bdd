using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ScratchNet.Tensors.Internals;

namespace ScratchNet.Tensors;

/// <summary>
/// The first layer of the per-example MLP with its weights stored input-major, W (D × H) with row j the weights out
/// of input j, so both passes touch only the rows of the non-zero inputs (about half of Fashion-MNIST's pixels are 0):
/// forward z += Wᵀx = Σ_{j: x_j ≠ 0} x_j·W[j, :], update W[j, :] += α·x_j·dz for x_j ≠ 0.
/// The byte overloads read raw pixels scaled by <c>scale</c> (x_j = pixel_j · scale), so no float copy is made.
/// Rows are visited in increasing j and multiply-adds are fused, so float and byte inputs give identical results.
/// </summary>
public static partial class NonZeroInputs
{
    private const int StackInputs = 1024;

    /// <summary>z (H) += Wᵀ·x, skipping zero x_j; W is x.Length × z.Length. Initialise z with the bias.</summary>
    public static void AccumulateTransposed<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(x.Length, w, z.Length);
        ThrowHelper.IfOverlaps(w, z, nameof(w));
        ThrowHelper.IfOverlaps(x, z, nameof(x));
        Run(x, default, T.One, T.One, w, z, forward: true);
    }

    /// <summary>z (H) += Wᵀ·(pixels · scale), skipping zero pixels; W is pixels.Length × z.Length.</summary>
    public static void AccumulateTransposed<T>(ReadOnlySpan<byte> pixels, T scale, ReadOnlySpan<T> w, Span<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(pixels.Length, w, z.Length);
        ThrowHelper.IfOverlaps(w, z, nameof(w));
        Run(default, pixels, scale, T.One, w, z, forward: true);
    }

    /// <summary>W[j, :] += α·x_j·dz for every non-zero x_j; W is x.Length × dz.Length.</summary>
    public static void Rank1Update<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dz, T alpha, Span<T> w)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(x.Length, w, dz.Length);
        ThrowHelper.IfOverlaps(dz, w, nameof(dz));
        ThrowHelper.IfOverlaps(x, w, nameof(x));
        Run(x, default, T.One, alpha, dz, w, forward: false);
    }

    /// <summary>W[j, :] += α·(pixel_j · scale)·dz for every non-zero pixel; W is pixels.Length × dz.Length.</summary>
    public static void Rank1Update<T>(ReadOnlySpan<byte> pixels, T scale, ReadOnlySpan<T> dz, T alpha, Span<T> w)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(pixels.Length, w, dz.Length);
        ThrowHelper.IfOverlaps(dz, w, nameof(dz));
        Run(default, pixels, scale, alpha, dz, w, forward: false);
    }

    /// <summary>Gathers the non-zero inputs (index, α·x_j) once, then runs the register-blocked row kernel.
    /// Forward: <paramref name="source"/> is W, <paramref name="target"/> is z. Update: dz and W.
    /// The stack buffers are not zeroed (every entry read is written first): zeroing them cost more than the
    /// 200 × 10 layer-2 kernels' own work.</summary>
    [SkipLocalsInit]
    private static unsafe void Run<T>(ReadOnlySpan<T> x, ReadOnlySpan<byte> pixels, T scale, T alpha,
        ReadOnlySpan<T> source, Span<T> target, bool forward)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inputs = Math.Max(x.Length, pixels.Length);
        int[]? rentedRows = inputs > StackInputs ? ArrayPool<int>.Shared.Rent(inputs) : null;
        T[]? rentedValues = inputs > StackInputs ? ArrayPool<T>.Shared.Rent(inputs) : null;
        Span<int> rows = rentedRows ?? stackalloc int[StackInputs];
        Span<T> coefficients = rentedValues ?? stackalloc T[StackInputs];
        int count = pixels.IsEmpty
            ? CompactNonZero(x, alpha, rows, coefficients)
            : CompactNonZeroPixels(pixels, scale, alpha, rows, coefficients);

        int h = forward ? target.Length : source.Length;
        fixed (T* s = source)
        fixed (T* t = target)
        {
            var kernel = new RowsKernel<T>(rows[..count], coefficients[..count], s, t, h, forward);
            SimdWidth.Run<T, RowsKernel<T>>(ref kernel, SimdWidth.HardwareBits<T>());
        }
        if (rentedRows is not null)
            ArrayPool<int>.Shared.Return(rentedRows);
        if (rentedValues is not null)
            ArrayPool<T>.Shared.Return(rentedValues);
    }

    /// <summary>(j, α·x_j) for every x_j ≠ 0 in increasing j; returns how many (rows and coefficients hold at least
    /// x.Length). Branch-free: every entry is written at the current count, which only a non-zero one advances; a
    /// vector compare gives the non-zero lanes, so there is no per-element float compare either.</summary>
    private static int CompactNonZero<T>(ReadOnlySpan<T> x, T alpha, Span<int> rows, Span<T> coefficients)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T input = ref MemoryMarshal.GetReference(x);
        ref int row = ref MemoryMarshal.GetReference(rows);
        ref T coefficient = ref MemoryMarshal.GetReference(coefficients);
        int count = 0, j = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            for (; j + Vector256<T>.Count <= x.Length; j += Vector256<T>.Count)
            {
                uint nonZero = ~Vector256.Equals(Vector256.LoadUnsafe(ref input, (nuint)j), Vector256<T>.Zero).ExtractMostSignificantBits();
                for (int lane = 0; lane < Vector256<T>.Count; lane++)
                {
                    Unsafe.Add(ref row, count) = j + lane;
                    Unsafe.Add(ref coefficient, count) = alpha * Unsafe.Add(ref input, j + lane);
                    count += (int)((nonZero >> lane) & 1);
                }
            }
        }
        for (; j < x.Length; j++)
        {
            rows[count] = j;
            coefficients[count] = alpha * x[j];
            count += x[j] != T.Zero ? 1 : 0;
        }
        return count;
    }

    /// <summary>(j, α·(pixel_j · scale)) for every non-zero pixel in increasing j; returns how many.</summary>
    private static int CompactNonZeroPixels<T>(ReadOnlySpan<byte> pixels, T scale, T alpha, Span<int> rows, Span<T> coefficients)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // branch-free: every entry is written, only a non-zero one is kept
        int count = 0;
        for (int j = 0; j < pixels.Length; j++)
        {
            rows[count] = j;
            coefficients[count] = alpha * (T.CreateTruncating(pixels[j]) * scale);
            count += pixels[j] != 0 ? 1 : 0;
        }
        return count;
    }

    private readonly unsafe ref struct RowsKernel<T>(ReadOnlySpan<int> rows, ReadOnlySpan<T> coefficients, T* source,
        T* target, int h, bool forward) : IWidthKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly ReadOnlySpan<int> _rows = rows;
        private readonly ReadOnlySpan<T> _coefficients = coefficients;

        public void Run<TVec, TSimd>() where TVec : struct where TSimd : ISimd<T, TVec>
        {
            if (NarrowRows<T, TVec, TSimd>.Fits(h))
            {
                if (forward)
                    NarrowRows<T, TVec, TSimd>.Accumulate(_rows, _coefficients, source, h, target);
                else
                    NarrowRows<T, TVec, TSimd>.Update(_rows, _coefficients, source, h, target);
            }
            else if (forward)
            {
                NonZeroRows<T, TVec, TSimd>.Accumulate(_rows, _coefficients, source, h, target);
            }
            else
            {
                NonZeroRows<T, TVec, TSimd>.Update(_rows, _coefficients, source, h, target);
            }
        }
    }

    private static void Validate<T>(int inputs, ReadOnlySpan<T> w, int outputs)
        => ThrowHelper.IfLengthNot(w.Length, (long)inputs * outputs, nameof(w));
}
