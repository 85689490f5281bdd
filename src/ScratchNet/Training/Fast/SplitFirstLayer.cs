using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using ScratchNet.Tensors;
using ScratchNet.Tensors.Internals;

namespace ScratchNet.Training.Fast;

/// <summary>
/// The per-example step's first layer on two cores: W1 (D × H, input-major) split by hidden columns into a left
/// block D × S, kept by the calling thread, and a right block D × (H − S), kept by a <see cref="PartnerThread"/>.
/// Each step, each thread gathers the image's non-zero pixels itself, applies its columns of the previous example's
/// deferred update and accumulates its columns of z1 in one sweep (<see cref="NonZeroInputs.UpdateThenAccumulate"/>),
/// and keeps the deferred update's row list and coefficients for the next step. So the only data crossing between
/// the cores per step are the pixels (784 bytes), dz1 and z1; each block is its own array, so the cores never write
/// the same cache line of W1; and the sweep, bound by the traffic between a core's L1 and L2, gets two of them.
/// Every element of W1 and z1 receives exactly the operations, in the order, of the one-thread sweep (a column's
/// multiply-adds never involve another column), so results are bit-identical to it.
/// While <see cref="Loaded"/>, the blocks and not the model's weight hold the current W1; <see cref="Store"/> applies
/// the deferred update and copies them back.
/// </summary>
internal sealed class SplitFirstLayer<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Layers narrower than this are not split: a half of fewer columns does not pay for the hand-off.</summary>
    public const int MinimumColumns = 64;

    private readonly int _hidden, _split;
    private readonly Half _left, _right;
    private readonly byte[] _pixels;
    private readonly PartnerThread _partner;
    private T _scale, _alpha;
    private T[] _gradient = [], _output = [];

    public SplitFirstLayer(int inputs, int hidden)
    {
        if (!Pays(hidden))
            throw new ArgumentOutOfRangeException(nameof(hidden), $"a layer of {hidden} columns is too narrow to split (at least {MinimumColumns}).");
        _hidden = hidden;
        _split = SplitColumn(hidden);
        _left = new Half(inputs, 0, _split);
        _right = new Half(inputs, _split, hidden - _split);
        _pixels = new byte[inputs];
        _partner = new PartnerThread(() => _right.Step(_pixels, _scale, _alpha, _gradient, _output), "ScratchNet first-layer partner");
    }

    /// <summary>True when a layer of <paramref name="hidden"/> columns is wide enough to split.</summary>
    public static bool Pays(int hidden) => hidden >= MinimumColumns;

    /// <summary>The first column of the right block: the half rounded to whole vectors, ties to the left.</summary>
    public static int SplitColumn(int hidden)
    {
        var lanes = Vector256<T>.Count;
        return Math.Clamp((hidden + lanes) / (2 * lanes) * lanes, lanes, hidden - 1);
    }

    /// <summary>True while the blocks hold the current W1 (from <see cref="Load"/> until <see cref="Store"/>).</summary>
    public bool Loaded { get; private set; }

    /// <summary>The partner thread (for tests: how many threads it has started).</summary>
    internal PartnerThread Partner => _partner;

    /// <summary>Copies W (D × H) into the two blocks, with nothing deferred.</summary>
    public void Load(ReadOnlySpan<T> w)
    {
        _left.Load(w, _hidden);
        _right.Load(w, _hidden);
        Loaded = true;
    }

    /// <summary>
    /// One step's first layer: the deferred update W[j, :] += α_prev·x_prev,j·dz (dz the previous example's gradient
    /// of z1; ignored on the first step after <see cref="Load"/>), then z (H) += Σ_j x_j·W[j, :] for this image
    /// (x_j = pixel_j·scale; initialise z with the bias); this image's update, with <paramref name="alpha"/> = −η, is
    /// deferred to the next call. The right columns run on the partner while this thread does the left.
    /// </summary>
    public void Step(ReadOnlySpan<byte> pixels, T scale, T alpha, T[] dz, T[] z)
    {
        if (!Loaded)
            throw new InvalidOperationException("Load the weights before stepping.");
        pixels.CopyTo(_pixels);
        (_scale, _alpha, _gradient, _output) = (scale, alpha, dz, z);
        _partner.Post();
        try
        {
            _left.Step(_pixels, scale, alpha, dz, z);
        }
        finally
        {
            _partner.Wait();
        }
    }

    /// <summary>Applies the deferred update to both blocks (on this thread) and copies them into W (D × H); then not <see cref="Loaded"/>.</summary>
    public void Store(ReadOnlySpan<T> dz, Span<T> w)
    {
        _left.Store(dz, w, _hidden);
        _right.Store(dz, w, _hidden);
        Loaded = false;
    }

    public void Dispose() => _partner.Dispose();

    // One thread's columns [first, first + width) of W1 and its own gather, deferred-update and z1 buffers. z1's columns
    // are accumulated in a buffer of the half's own and copied out once: the sweep stores its accumulators once per
    // block of rows, and written in place the two halves would share the cache line that holds the split column
    // (unless the array happens to start a line there), so every such store would pull the line from the other core.
    private sealed class Half(int inputs, int first, int width)
    {
        private readonly T[] _block = new T[inputs * width];
        private readonly T[] _z = new T[width];
        private readonly T[] _values = new T[inputs], _pendingCoefficients = new T[inputs];
        private int[] _rows = new int[inputs], _pendingRows = new int[inputs];
        private int _pendingCount;

        public void Load(ReadOnlySpan<T> w, int hidden)
        {
            for (var j = 0; j < inputs; j++)
                w.Slice(j * hidden + first, width).CopyTo(_block.AsSpan(j * width, width));
            _pendingCount = 0;
        }

        public void Step(ReadOnlySpan<byte> pixels, T scale, T alpha, T[] dz, T[] z)
        {
            var count = NonZeroInputs.GatherNonZero(pixels, scale, _rows, _values);
            z.AsSpan(first, width).CopyTo(_z);
            NonZeroInputs.UpdateThenAccumulate<T>(_pendingRows.AsSpan(0, _pendingCount), _pendingCoefficients.AsSpan(0, _pendingCount),
                dz.AsSpan(first, width), _rows.AsSpan(0, count), _values.AsSpan(0, count), _block, _z);
            _z.CopyTo(z.AsSpan(first, width));
            // the coefficient as NonZeroInputs.Rank1Update forms it: α·x_j
            TensorPrimitives.Multiply(_values.AsSpan(0, count), alpha, _pendingCoefficients.AsSpan(0, count));
            (_rows, _pendingRows) = (_pendingRows, _rows);
            _pendingCount = count;
        }

        public void Store(ReadOnlySpan<T> dz, Span<T> w, int hidden)
        {
            NonZeroInputs.Rank1UpdateRows<T>(_pendingRows.AsSpan(0, _pendingCount), _pendingCoefficients.AsSpan(0, _pendingCount),
                dz.Slice(first, width), _block);
            _pendingCount = 0;
            for (var j = 0; j < inputs; j++)
                _block.AsSpan(j * width, width).CopyTo(w.Slice(j * hidden + first, width));
        }
    }
}
