using System.Numerics;
using System.Numerics.Tensors;

namespace ScratchNet.Tensors;

/// <summary>
/// The first layer of the per-example MLP with its weights stored input-major, W (D × H) with row j the weights out
/// of input j, so both passes touch only the rows of the non-zero inputs (about half of Fashion-MNIST's pixels are 0):
/// forward z += Wᵀx = Σ_{j: x_j ≠ 0} x_j·W[j, :], update W[j, :] += α·x_j·dz for x_j ≠ 0.
/// The byte overloads read raw pixels scaled by <c>scale</c> (x_j = pixel_j · scale), so no float copy is made.
/// </summary>
public static class SparseInput
{
    /// <summary>z (H) += Wᵀ·x, skipping zero x_j; W is x.Length × z.Length. Initialise z with the bias.</summary>
    public static void AccumulateTransposed<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(x.Length, w, z.Length);
        TensorThrow.IfOverlaps(w, z, nameof(w));
        TensorThrow.IfOverlaps(x, z, nameof(x));
        int h = z.Length;
        for (int j = 0; j < x.Length; j++)
        {
            if (x[j] != T.Zero)
                TensorPrimitives.MultiplyAdd(w.Slice(j * h, h), x[j], z, z);
        }
    }

    /// <summary>z (H) += Wᵀ·(pixels · scale), skipping zero pixels; W is pixels.Length × z.Length.</summary>
    public static void AccumulateTransposed<T>(ReadOnlySpan<byte> pixels, T scale, ReadOnlySpan<T> w, Span<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(pixels.Length, w, z.Length);
        TensorThrow.IfOverlaps(w, z, nameof(w));
        int h = z.Length;
        for (int j = 0; j < pixels.Length; j++)
        {
            if (pixels[j] != 0)
                TensorPrimitives.MultiplyAdd(w.Slice(j * h, h), T.CreateTruncating(pixels[j]) * scale, z, z);
        }
    }

    /// <summary>W[j, :] += α·x_j·dz for every non-zero x_j; W is x.Length × dz.Length.</summary>
    public static void Rank1Update<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dz, T alpha, Span<T> w)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(x.Length, w, dz.Length);
        TensorThrow.IfOverlaps(dz, w, nameof(dz));
        TensorThrow.IfOverlaps(x, w, nameof(x));
        int h = dz.Length;
        for (int j = 0; j < x.Length; j++)
        {
            if (x[j] != T.Zero)
            {
                Span<T> row = w.Slice(j * h, h);
                TensorPrimitives.MultiplyAdd(dz, alpha * x[j], row, row);
            }
        }
    }

    /// <summary>W[j, :] += α·(pixel_j · scale)·dz for every non-zero pixel; W is pixels.Length × dz.Length.</summary>
    public static void Rank1Update<T>(ReadOnlySpan<byte> pixels, T scale, ReadOnlySpan<T> dz, T alpha, Span<T> w)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(pixels.Length, w, dz.Length);
        TensorThrow.IfOverlaps(dz, w, nameof(dz));
        int h = dz.Length;
        for (int j = 0; j < pixels.Length; j++)
        {
            if (pixels[j] != 0)
            {
                Span<T> row = w.Slice(j * h, h);
                TensorPrimitives.MultiplyAdd(dz, alpha * (T.CreateTruncating(pixels[j]) * scale), row, row);
            }
        }
    }

    private static void Validate<T>(int inputs, ReadOnlySpan<T> w, int outputs)
        => TensorThrow.IfLengthNot(w.Length, (long)inputs * outputs, nameof(w));
}
