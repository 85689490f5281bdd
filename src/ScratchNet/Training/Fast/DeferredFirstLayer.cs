using System.Numerics;
using System.Numerics.Tensors;
using ScratchNet.Tensors;
using ScratchNet.Tensors.Internals;

namespace ScratchNet.Training.Fast;

/// <summary>
/// The first layer of the per-example SGD step, W (D × H, input-major, used in place), with each row's update held
/// back until the row is next read. Example i's update W[j, :] += (−η x_j)·dz_i touches the rows of its non-zero
/// pixels; a row that the next image also lights is updated in that image's forward sweep, as before, but a row the
/// next image leaves dark is no longer swept just to be updated: its coefficient (−η x_j) and the slot of dz_i in a
/// ring of the last <see cref="RingSize"/> gradients wait until an image lights the row again, and the sweep applies
/// the update then, right before the row's multiply-add into z. A row dark for <see cref="RingSize"/> examples is
/// updated when its gradient's slot is reused; <see cref="ApplyAll"/> updates every waiting row. Each row still
/// receives its own updates, one by one, in the order of the examples, and nothing reads it in between, so W and
/// every z are bit-identical to updating every row eagerly; the sweep reads about 390 rows per Fashion-MNIST image
/// instead of the 520 of two consecutive images.
/// </summary>
internal sealed class DeferredFirstLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>How many past examples' gradients a waiting row may refer to (a power of two).</summary>
    public const int RingSize = 32;

    private readonly int _width;
    private readonly T[] _weights;
    private readonly int[] _slots;      // per row: the ring slot of its waiting update's gradient, or −1
    private readonly T[] _deferred;     // per row: the waiting update's coefficient (−η x_j)
    private readonly T[] _ring;         // RingSize × H gradients
    private readonly int[] _due;        // scratch: rows whose slot is about to be reused
    private readonly T[] _dueCoefficients;
    private readonly T[] _values, _queuedCoefficients;
    private int[] _rows, _queuedRows;
    private int _queuedCount, _nextSlot;
    private bool _waiting;

    /// <summary>Sweeps <paramref name="weights"/> (<paramref name="inputs"/> × <paramref name="width"/>, row-major) in place.</summary>
    public DeferredFirstLayer(int inputs, int width, T[] weights)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ThrowHelper.IfLengthNot(weights.Length, (long)inputs * width, nameof(weights));
        _width = width;
        _weights = weights;
        _slots = new int[inputs];
        Array.Fill(_slots, -1);
        _deferred = new T[inputs];
        _ring = new T[RingSize * width];
        _due = new int[inputs];
        _dueCoefficients = new T[inputs];
        _values = new T[inputs];
        _queuedCoefficients = new T[inputs];
        _rows = new int[inputs];
        _queuedRows = new int[inputs];
    }

    /// <summary>The weights this layer sweeps (current only after <see cref="ApplyAll"/>).</summary>
    public T[] Weights => _weights;

    /// <summary>True while some row of <see cref="Weights"/> lacks an update (the last example's, or a waiting one).</summary>
    public bool HasPending => _queuedCount > 0 || _waiting;

    /// <summary>
    /// One example's first layer: records the previous example's update (its gradient <paramref name="previousGradient"/>,
    /// H long; ignored when nothing is queued), then z (H) += Σ_j x_j·W[j, :] over this image's non-zero pixels
    /// (x_j = pixel_j·scale), each row brought up to date first; this image's update, with
    /// <paramref name="alpha"/> = −η, is queued until the next call.
    /// </summary>
    public void Step(ReadOnlySpan<byte> pixels, T scale, T alpha, ReadOnlySpan<T> previousGradient, Span<T> z)
    {
        Record(previousGradient);
        var count = NonZeroInputs.GatherNonZero(pixels, scale, _rows, _values);
        NonZeroInputs.ApplyDeferredThenAccumulate<T>(_rows.AsSpan(0, count), _values.AsSpan(0, count), _slots, _deferred, _ring,
            _weights, z, SimdWidth.HardwareBits<T>());
        // the coefficient as NonZeroInputs.Rank1Update forms it: α·x_j
        TensorPrimitives.Multiply(_values.AsSpan(0, count), alpha, _queuedCoefficients.AsSpan(0, count));
        (_rows, _queuedRows) = (_queuedRows, _rows);
        _queuedCount = count;
    }

    /// <summary>Records the queued update with <paramref name="previousGradient"/> and applies every waiting one: W is then current.</summary>
    public void ApplyAll(ReadOnlySpan<T> previousGradient)
    {
        Record(previousGradient);
        if (!_waiting)
            return;
        for (var slot = 0; slot < RingSize; slot++)
            ApplySlot(slot);
        _waiting = false;
    }

    // The queued example's update: its rows wait on a ring slot, after the rows still waiting on that slot (dark for
    // RingSize examples since) are updated with the gradient the slot held.
    private void Record(ReadOnlySpan<T> gradient)
    {
        if (_queuedCount == 0)
            return;
        ThrowHelper.IfLengthNot(gradient.Length, _width, nameof(gradient));
        var slot = _nextSlot;
        _nextSlot = (slot + 1) & (RingSize - 1);
        ApplySlot(slot);
        gradient.CopyTo(_ring.AsSpan(slot * _width, _width));
        for (var k = 0; k < _queuedCount; k++)
        {
            var j = _queuedRows[k];
            _slots[j] = slot;
            _deferred[j] = _queuedCoefficients[k];
        }
        _queuedCount = 0;
        _waiting = true;
    }

    // Updates the rows waiting on one slot, in increasing row order, and marks them current.
    private void ApplySlot(int slot)
    {
        var count = 0;
        // a vectorised search: most steps find no row dark for RingSize examples
        for (var j = _slots.AsSpan().IndexOf(slot); j >= 0;)
        {
            _due[count] = j;
            _dueCoefficients[count++] = _deferred[j];
            _slots[j] = -1;
            var next = _slots.AsSpan(j + 1).IndexOf(slot);
            j = next < 0 ? -1 : j + 1 + next;
        }
        if (count > 0)
            NonZeroInputs.Rank1UpdateRows<T>(_due.AsSpan(0, count), _dueCoefficients.AsSpan(0, count),
                _ring.AsSpan(slot * _width, _width), _weights);
    }
}
