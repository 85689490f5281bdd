using System.Numerics;
using System.Runtime.Intrinsics;
using ScratchNet.Tensors;

namespace ScratchNet.Training;

/// <summary>
/// The per-example step's first-layer sweep on two cores: W1 (D × H, input-major) split by hidden columns into a left
/// block D × S, swept by the calling thread, and a right block D × (H − S), swept by a <see cref="PartnerThread"/>.
/// Each block is its own contiguous array, so the two cores never write the same cache line of W1, and each holds
/// half of W1 (313 KB of 627 KB in float32 for 784 × 200), which fits one core's L2 where the whole does not.
/// Every element of W1 and z receives exactly the operations, in the order, of the one-thread sweep (a column's
/// multiply-adds never depend on another column), so results are bit-identical to it.
/// While <see cref="Loaded"/>, the blocks and not the model's weight hold the current W1: <see cref="Store"/> copies
/// them back.
/// </summary>
internal sealed class SplitFirstLayer<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Layers narrower than this are not split: a half of fewer columns does not pay for the hand-off.</summary>
    public const int MinimumColumns = 64;

    private readonly int _inputs, _hidden, _split;
    private readonly T[] _left, _right;
    private readonly PartnerThread _partner;
    private Sweep _sweep;

    public SplitFirstLayer(int inputs, int hidden)
    {
        if (!Pays(hidden))
            throw new ArgumentOutOfRangeException(nameof(hidden), $"a layer of {hidden} columns is too narrow to split (at least {MinimumColumns}).");
        (_inputs, _hidden) = (inputs, hidden);
        _split = SplitColumn(hidden);
        _left = new T[inputs * _split];
        _right = new T[inputs * (hidden - _split)];
        _partner = new PartnerThread(SweepRight, "ScratchNet first-layer partner");
    }

    /// <summary>True when a layer of <paramref name="hidden"/> columns is wide enough to split.</summary>
    public static bool Pays(int hidden) => hidden >= MinimumColumns;

    /// <summary>The first column of the right block: the half rounded to whole vectors, the larger part on the left.</summary>
    public static int SplitColumn(int hidden)
    {
        var lanes = Vector256<T>.Count;
        return Math.Clamp((hidden + lanes) / (2 * lanes) * lanes, lanes, hidden - 1);
    }

    /// <summary>True while the blocks hold the current W1 (from <see cref="Load"/> until <see cref="Store"/>).</summary>
    public bool Loaded { get; private set; }

    /// <summary>The partner thread (for tests: how many threads it has started).</summary>
    internal PartnerThread Partner => _partner;

    /// <summary>Copies W (D × H) into the two blocks.</summary>
    public void Load(ReadOnlySpan<T> w)
    {
        for (var j = 0; j < _inputs; j++)
        {
            var row = w.Slice(j * _hidden, _hidden);
            row[.._split].CopyTo(_left.AsSpan(j * _split, _split));
            row[_split..].CopyTo(_right.AsSpan(j * (_hidden - _split), _hidden - _split));
        }
        Loaded = true;
    }

    /// <summary>Copies the blocks back into W (D × H); the model's weight is current again, the blocks no longer count as loaded.</summary>
    public void Store(Span<T> w)
    {
        for (var j = 0; j < _inputs; j++)
        {
            var row = w.Slice(j * _hidden, _hidden);
            _left.AsSpan(j * _split, _split).CopyTo(row[.._split]);
            _right.AsSpan(j * (_hidden - _split), _hidden - _split).CopyTo(row[_split..]);
        }
        Loaded = false;
    }

    /// <summary>
    /// <see cref="SparseInput.UpdateThenAccumulate"/> on the blocks: W[updateRows[k], :] += updateCoefficients[k]·dz,
    /// then z += Σ_k values[k]·W[rows[k], :]; the right columns on the partner while this thread does the left.
    /// </summary>
    public void UpdateThenAccumulate(int[] updateRows, T[] updateCoefficients, int updateCount, T[] dz,
        int[] rows, T[] values, int count, T[] z)
    {
        _sweep = new Sweep(updateRows, updateCoefficients, updateCount, dz, rows, values, count, z);
        _partner.Post();
        try
        {
            SparseInput.UpdateThenAccumulate<T>(updateRows.AsSpan(0, updateCount), updateCoefficients.AsSpan(0, updateCount),
                dz.AsSpan(0, _split), rows.AsSpan(0, count), values.AsSpan(0, count), _left, z.AsSpan(0, _split));
        }
        finally
        {
            _partner.Wait();
        }
    }

    /// <summary>W[rows[k], :] += coefficients[k]·dz on both blocks, on this thread.</summary>
    public void Rank1UpdateRows(ReadOnlySpan<int> rows, ReadOnlySpan<T> coefficients, ReadOnlySpan<T> dz)
    {
        SparseInput.Rank1UpdateRows(rows, coefficients, dz[.._split], _left);
        SparseInput.Rank1UpdateRows(rows, coefficients, dz[_split..], _right);
    }

    public void Dispose() => _partner.Dispose();

    private void SweepRight()
    {
        var s = _sweep;
        SparseInput.UpdateThenAccumulate<T>(s.UpdateRows.AsSpan(0, s.UpdateCount), s.UpdateCoefficients.AsSpan(0, s.UpdateCount),
            s.Dz.AsSpan(_split), s.Rows.AsSpan(0, s.Count), s.Values.AsSpan(0, s.Count), _right, s.Z.AsSpan(_split));
    }

    // one sweep's arguments, handed to the partner through a field written before Post
    private readonly record struct Sweep(int[] UpdateRows, T[] UpdateCoefficients, int UpdateCount, T[] Dz,
        int[] Rows, T[] Values, int Count, T[] Z);
}
