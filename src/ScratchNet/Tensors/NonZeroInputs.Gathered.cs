using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ScratchNet.Tensors.Internals;

namespace ScratchNet.Tensors;

/// <summary>
/// The first-layer kernels over a non-zero list gathered once (<see cref="GatherNonZero"/>) and reused: the fused
/// per-example SGD step applies example i's deferred update and accumulates example i+1's forward pass in one sweep
/// over W (<see cref="UpdateThenAccumulate"/>). Row lists increase strictly; W is (rows of W) × H with H = dz.Length.
/// </summary>
public static partial class NonZeroInputs
{
    /// <summary>
    /// Writes the non-zero pixels as (j, pixel_j · scale) in increasing j into <paramref name="rows"/> and
    /// <paramref name="values"/> (each at least pixels.Length long) and returns how many there are; the entries from
    /// that count on are scratch (overwritten).
    /// </summary>
    public static int GatherNonZero<T>(ReadOnlySpan<byte> pixels, T scale, Span<int> rows, Span<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.IfShorter(rows.Length, pixels.Length, nameof(rows));
        ThrowHelper.IfShorter(values.Length, pixels.Length, nameof(values));
        // branch-free: every pixel is written at the current count, which only a non-zero one advances (count ≤ j,
        // so within the validated lengths); a branch per pixel, or per set bit of a compare mask, mispredicts at
        // the edges of the image's strokes
        ref int row = ref MemoryMarshal.GetReference(rows);
        ref T value = ref MemoryMarshal.GetReference(values);
        int count = 0;
        for (int j = 0; j < pixels.Length; j++)
        {
            byte pixel = pixels[j];
            Unsafe.Add(ref row, count) = j;
            Unsafe.Add(ref value, count) = T.CreateTruncating(pixel) * scale;
            count += pixel != 0 ? 1 : 0;
        }
        return count;
    }

    /// <summary>W[rows[k], :] += coefficients[k]·dz for every k; W is (w.Length / dz.Length) × dz.Length.</summary>
    public static void Rank1UpdateRows<T>(ReadOnlySpan<int> rows, ReadOnlySpan<T> coefficients, ReadOnlySpan<T> dz, Span<T> w)
        where T : unmanaged, IFloatingPointIeee754<T>
        => UpdateThenAccumulateAtWidth(rows, coefficients, dz, [], [], w, default, SimdWidth.HardwareBits<T>());

    /// <summary>
    /// W[updateRows[k], :] += updateCoefficients[k]·dz for every k, then z (H) += Σ_k accumulateCoefficients[k]·W[accumulateRows[k], :]
    /// with the updated rows, in one sweep over the union of the rows; the result equals
    /// <see cref="Rank1UpdateRows"/> followed by the forward accumulation bit for bit. Initialise z with the bias.
    /// </summary>
    public static void UpdateThenAccumulate<T>(ReadOnlySpan<int> updateRows, ReadOnlySpan<T> updateCoefficients, ReadOnlySpan<T> dz,
        ReadOnlySpan<int> accumulateRows, ReadOnlySpan<T> accumulateCoefficients, Span<T> w, Span<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.IfLengthNot(z.Length, dz.Length, nameof(z));
        UpdateThenAccumulateAtWidth(updateRows, updateCoefficients, dz, accumulateRows, accumulateCoefficients, w, z, SimdWidth.HardwareBits<T>());
    }

    /// <summary>As the public overloads with an explicit vector width, so tests can run every width's code.
    /// An empty accumulate list leaves z alone (it may be empty then).</summary>
    internal static unsafe void UpdateThenAccumulateAtWidth<T>(ReadOnlySpan<int> updateRows, ReadOnlySpan<T> updateCoefficients,
        ReadOnlySpan<T> dz, ReadOnlySpan<int> accumulateRows, ReadOnlySpan<T> accumulateCoefficients, Span<T> w, Span<T> z,
        int vectorBits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int h = dz.Length;
        ThrowHelper.IfNotMultiple(w.Length, h, nameof(w));
        int inputs = w.Length / h;
        if (!accumulateRows.IsEmpty)
            ThrowHelper.IfLengthNot(z.Length, h, nameof(z));
        ThrowHelper.IfLengthNot(updateCoefficients.Length, updateRows.Length, nameof(updateCoefficients));
        ThrowHelper.IfLengthNot(accumulateCoefficients.Length, accumulateRows.Length, nameof(accumulateCoefficients));
        ThrowHelper.IfRowsNotIncreasing(updateRows, inputs, nameof(updateRows));
        ThrowHelper.IfRowsNotIncreasing(accumulateRows, inputs, nameof(accumulateRows));
        ThrowHelper.IfOverlaps<T>(dz, w, nameof(dz));
        ThrowHelper.IfOverlaps<T>(updateCoefficients, w, nameof(updateCoefficients));
        ThrowHelper.IfOverlaps<T>(accumulateCoefficients, w, nameof(accumulateCoefficients));
        ThrowHelper.IfOverlaps<T>(w, z, nameof(w));
        ThrowHelper.IfOverlaps<T>(dz, z, nameof(dz));
        ThrowHelper.IfOverlaps<T>(updateCoefficients, z, nameof(updateCoefficients));
        ThrowHelper.IfOverlaps<T>(accumulateCoefficients, z, nameof(accumulateCoefficients));
        fixed (T* gradient = dz)
        fixed (T* weights = w)
        fixed (T* output = z)
        {
            var kernel = new UpdateThenAccumulateKernel<T>(updateRows, updateCoefficients, gradient, accumulateRows,
                accumulateCoefficients, h, weights, output);
            SimdWidth.Run<T, UpdateThenAccumulateKernel<T>>(ref kernel, vectorBits);
        }
    }

    /// <summary>
    /// The sweep of the per-example step with deferred rows: for each row j of <paramref name="rows"/> (increasing),
    /// its deferred update first if it has one (<paramref name="slots"/>[j] ≥ 0: W[j, :] += deferred[j]·ring[slots[j], :],
    /// then slots[j] = −1), then z (H) += accumulate[k]·W[j, :]. W is (slots.Length) × H and the ring R × H, H = z.Length.
    /// </summary>
    internal static unsafe void ApplyDeferredThenAccumulate<T>(ReadOnlySpan<int> rows, ReadOnlySpan<T> accumulate, Span<int> slots,
        ReadOnlySpan<T> deferred, ReadOnlySpan<T> ring, Span<T> w, Span<T> z, int vectorBits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int h = z.Length;
        int inputs = slots.Length;
        ThrowHelper.IfLengthNot(w.Length, inputs * h, nameof(w));
        ThrowHelper.IfLengthNot(deferred.Length, inputs, nameof(deferred));
        ThrowHelper.IfLengthNot(accumulate.Length, rows.Length, nameof(accumulate));
        ThrowHelper.IfNotMultiple(ring.Length, h, nameof(ring));
        ThrowHelper.IfRowsNotIncreasing(rows, inputs, nameof(rows));
        int ringRows = h == 0 ? 0 : ring.Length / h;
        foreach (var j in rows)
        {
            if (slots[j] >= ringRows)
                throw new ArgumentException($"slots[{j}] is {slots[j]}, but the ring holds {ringRows} rows.", nameof(slots));
        }
        ThrowHelper.IfOverlaps<T>(ring, w, nameof(ring));
        ThrowHelper.IfOverlaps<T>(w, z, nameof(w));
        ThrowHelper.IfOverlaps<T>(ring, z, nameof(ring));
        fixed (int* slot = slots)
        fixed (T* pending = deferred)
        fixed (T* gradients = ring)
        fixed (T* weights = w)
        fixed (T* output = z)
        {
            var kernel = new ApplyDeferredKernel<T>(rows, accumulate, slot, pending, gradients, h, weights, output);
            SimdWidth.Run<T, ApplyDeferredKernel<T>>(ref kernel, vectorBits);
        }
    }

    private readonly unsafe ref struct ApplyDeferredKernel<T>(ReadOnlySpan<int> rows, ReadOnlySpan<T> accumulate, int* slots,
        T* deferred, T* ring, int h, T* w, T* z) : IWidthKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly ReadOnlySpan<int> _rows = rows;
        private readonly ReadOnlySpan<T> _accumulate = accumulate;

        public void Run<TVec, TSimd>() where TVec : struct where TSimd : ISimd<T, TVec>
            => NonZeroRows<T, TVec, TSimd>.ApplyDeferredThenAccumulate(_rows, _accumulate, slots, deferred, ring, h, w, z);
    }

    private readonly unsafe ref struct UpdateThenAccumulateKernel<T>(ReadOnlySpan<int> updateRows,
        ReadOnlySpan<T> updateCoefficients, T* dz, ReadOnlySpan<int> accumulateRows, ReadOnlySpan<T> accumulateCoefficients,
        int h, T* w, T* z) : IWidthKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly ReadOnlySpan<int> _updateRows = updateRows, _accumulateRows = accumulateRows;
        private readonly ReadOnlySpan<T> _updateCoefficients = updateCoefficients, _accumulateCoefficients = accumulateCoefficients;

        public void Run<TVec, TSimd>() where TVec : struct where TSimd : ISimd<T, TVec>
            => NonZeroRows<T, TVec, TSimd>.UpdateThenAccumulate(_updateRows, _updateCoefficients, dz, _accumulateRows,
                _accumulateCoefficients, h, w, z);
    }
}
