using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.Intrinsics;
using ScratchNet.Tensors.Internals;

namespace ScratchNet.Tensors;

/// <summary>
/// Matrices in compressed rows (CSR), holding only their non-zero entries: row i's entries are <c>columns[p]</c>,
/// <c>values[p]</c> for p in [<c>starts[i]</c>, <c>starts[i + 1]</c>), columns increasing. The mini-batch MLP's first layer uses them because
/// about half of Fashion-MNIST's pixels are 0: X (N × D) built from the pixel bytes gives the forward pass
/// Z += X·W and Xᵀ (D × N) the weight gradient dW += Xᵀ·dZ, each row of W (or dZ) read only for
/// the non-zero pixels that use it.
/// </summary>
public static class CompressedRows
{
    /// <summary>Below this many multiply-adds per thread, a second thread costs more than it saves.</summary>
    public const long MinMultiplyAddsPerThread = 1L << 18;

    /// <summary>
    /// X (N × features) from row-major pixel bytes scaled by <paramref name="scale"/>, zeros left out: fills
    /// starts (N + 1), columns and values (each at least the non-zero count, at most N × features) and returns
    /// the number of entries.
    /// </summary>
    public static int FromPixels<T>(ReadOnlySpan<byte> pixels, int features, T scale, Span<int> starts, Span<int> columns, Span<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.IfNotMultiple(pixels.Length, features, nameof(pixels));
        int rows = pixels.Length / features;
        ThrowHelper.IfLengthNot(starts.Length, rows + 1, nameof(starts));
        int capacity = Math.Min(columns.Length, values.Length);
        int count = 0;
        starts[0] = 0;
        for (int i = 0; i < rows; i++)
        {
            var row = pixels.Slice(i * features, features);
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                // 32 pixels at a time: a bit per non-zero pixel, then one entry per set bit
                for (; j + Vector256<byte>.Count <= features; j += Vector256<byte>.Count)
                {
                    uint nonZero = ~Vector256.Equals(Vector256.Create(row.Slice(j, Vector256<byte>.Count)), Vector256<byte>.Zero).ExtractMostSignificantBits();
                    if (count + BitOperations.PopCount(nonZero) > capacity)
                        ThrowTooFewEntries(capacity, pixels.Length);
                    for (; nonZero != 0; nonZero &= nonZero - 1)
                    {
                        int column = j + BitOperations.TrailingZeroCount(nonZero);
                        columns[count] = column;
                        values[count++] = T.CreateTruncating(row[column]) * scale;
                    }
                }
            }
            for (; j < features; j++)
            {
                if (row[j] == 0)
                    continue;
                if (count >= capacity)
                    ThrowTooFewEntries(capacity, pixels.Length);
                columns[count] = j;
                values[count++] = T.CreateTruncating(row[j]) * scale;
            }
            starts[i + 1] = count;
        }
        return count;
    }

    /// <summary>
    /// Xᵀ (features × N) of the same pixels, built directly: transposed row j lists the examples whose pixel j is
    /// non-zero, in increasing example order. Fills starts (features + 1), columns and values; returns the entries
    /// (the entry just past them may be overwritten too). (Reading the pixels column-wise touches N cache lines that
    /// stay in L1 for 64 consecutive pixels.)
    /// </summary>
    public static int FromPixelsTransposed<T>(ReadOnlySpan<byte> pixels, int features, T scale, Span<int> starts, Span<int> columns, Span<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.IfNotMultiple(pixels.Length, features, nameof(pixels));
        int rows = pixels.Length / features;
        ThrowHelper.IfLengthNot(starts.Length, features + 1L, nameof(starts));
        int capacity = Math.Min(columns.Length, values.Length);
        int count = 0;
        starts[0] = 0;
        for (int j = 0; j < features; j++)
        {
            for (int i = 0; i < rows; i++)
            {
                // without a branch on the pixel (half of them are 0, at random, so a branch mispredicted about every
                // other pixel): every pixel is written at the next free entry, which only a non-zero one keeps
                byte pixel = pixels[i * features + j];
                if (count < capacity)
                {
                    columns[count] = i;
                    values[count] = T.CreateTruncating(pixel) * scale;
                    count += pixel != 0 ? 1 : 0;
                }
                else if (pixel != 0)
                {
                    ThrowTooFewEntries(capacity, pixels.Length);
                }
            }
            starts[j + 1] = count;
        }
        return count;
    }

    /// <summary>
    /// C (m × n) += S·B, S (m × k) in compressed rows, B (k × n) row-major; per element the entries are added in
    /// stored order with fused multiply-adds, so the result does not depend on <paramref name="maxThreads"/>
    /// (threads split the columns of C, never the sum). C must not overlap B or the values.
    /// </summary>
    public static unsafe void MultiplyAdd<T>(ReadOnlySpan<int> starts, ReadOnlySpan<int> columns, ReadOnlySpan<T> values,
        ReadOnlySpan<T> b, int n, Span<T> c, int maxThreads = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.IfNotMultiple(b.Length, n, nameof(b));
        int k = b.Length / n;
        int m = Validate(starts, columns, values, k);
        ThrowHelper.IfLengthNot(c.Length, (long)m * n, nameof(c));
        ThrowHelper.IfOverlaps(b, c, nameof(b));
        ThrowHelper.IfOverlaps(values, c, nameof(values));
        ThrowHelper.IfLessThanOne(maxThreads);
        int vectorBits = SimdWidth.HardwareBits<T>();
        int width = vectorBits / 8 / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        int vectors = (n + width - 1) / width;
        int threads = (int)Math.Clamp((long)starts[m] * n / MinMultiplyAddsPerThread, 1, Math.Min(maxThreads, vectors));
        fixed (int* s = starts)
        fixed (int* col = columns)
        fixed (T* val = values)
        fixed (T* pb = b)
        fixed (T* pc = c)
        {
            if (threads == 1)
                Run(vectorBits, m, s, col, val, pb, n, pc, 0, n);
            else
                RunParallel(vectorBits, m, s, col, val, pb, n, pc, threads, vectors, width);
        }
    }

    /// <summary>
    /// Checks <see cref="MultiplyAdd{T}"/>'s arguments once, for a caller that splits the columns over threads itself
    /// (<see cref="MultiplyAddColumns{T}"/>); returns the rows m.
    /// </summary>
    internal static int ValidateMultiplyAdd<T>(ReadOnlySpan<int> starts, ReadOnlySpan<int> columns, ReadOnlySpan<T> values,
        ReadOnlySpan<T> b, int n, ReadOnlySpan<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.IfNotMultiple(b.Length, n, nameof(b));
        int m = Validate(starts, columns, values, b.Length / n);
        ThrowHelper.IfLengthNot(c.Length, (long)m * n, nameof(c));
        ThrowHelper.IfOverlaps(b, c, nameof(b));
        ThrowHelper.IfOverlaps(values, c, nameof(values));
        return m;
    }

    /// <summary>
    /// <see cref="MultiplyAdd{T}"/> over the output columns [<paramref name="first"/>, <paramref name="last"/>) only,
    /// on arguments <see cref="ValidateMultiplyAdd{T}"/> accepted (pinned by the caller): two threads on the two halves
    /// of the columns give the one-thread result bit for bit.
    /// </summary>
    internal static unsafe void MultiplyAddColumns<T>(int m, int* starts, int* columns, T* values, T* b, int n, T* c, int first, int last)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Run(SimdWidth.HardwareBits<T>(), m, starts, columns, values, b, n, c, first, last);

    // contiguous column ranges of whole vectors, one per thread (a separate method, so the one-thread path allocates
    // no closure)
    private static unsafe void RunParallel<T>(int vectorBits, int m, int* starts, int* columns, T* values, T* b, int n, T* c,
        int threads, int vectors, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int perThread = (vectors + threads - 1) / threads * width;
        nint sp = (nint)starts, colp = (nint)columns, valp = (nint)values, bp = (nint)b, cp = (nint)c;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            Run(vectorBits, m, (int*)sp, (int*)colp, (T*)valp, (T*)bp, n, (T*)cp, Math.Min(n, t * perThread), Math.Min(n, (t + 1) * perThread)));
    }

    private static unsafe void Run<T>(int vectorBits, int m, int* starts, int* columns, T* values, T* b, int n, T* c, int first, int last)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var kernel = new Kernel<T>(m, starts, columns, values, b, n, c, first, last);
        SimdWidth.Run<T, Kernel<T>>(ref kernel, vectorBits);
    }

    private readonly unsafe struct Kernel<T>(int m, int* starts, int* columns, T* values, T* b, int n, T* c, int first, int last)
        : IWidthKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run<TVec, TSimd>() where TVec : struct where TSimd : ISimd<T, TVec>
            => CompressedRowsKernel<T, TVec, TSimd>.MultiplyAdd(m, starts, columns, values, b, n, c, first, last);
    }

    [DoesNotReturn]
    private static void ThrowTooFewEntries(int capacity, int pixels) =>
        ThrowHelper.Invalid($"columns/values hold {capacity} entries, fewer than the non-zero pixels; size them rows × features ({pixels}).", "columns");

    // rows m = starts.Length − 1; starts from 0, non-decreasing, within columns/values; every column in [0, k)
    private static int Validate<T>(ReadOnlySpan<int> starts, ReadOnlySpan<int> columns, ReadOnlySpan<T> values, int k)
    {
        if (starts.IsEmpty)
            ThrowHelper.Invalid("starts must have rows + 1 elements (at least 1).", nameof(starts));
        int m = starts.Length - 1;
        if (starts[0] != 0)
            ThrowHelper.Invalid($"starts[0] must be 0, but was {starts[0]}.", nameof(starts));
        for (int i = 0; i < m; i++)
        {
            if (starts[i + 1] < starts[i])
                ThrowHelper.Invalid($"starts must not decrease, but starts[{i + 1}] = {starts[i + 1]} < starts[{i}] = {starts[i]}.", nameof(starts));
        }
        int entries = starts[m];
        if (entries > columns.Length || entries > values.Length)
            ThrowHelper.Invalid($"starts[{m}] = {entries} entries, but columns has {columns.Length} and values {values.Length}.", nameof(starts));
        for (int p = 0; p < entries; p++)
        {
            if ((uint)columns[p] >= (uint)k)
                ThrowHelper.Invalid($"columns[{p}] = {columns[p]} is outside [0, {k}).", nameof(columns));
        }
        return m;
    }
}
