using System.Numerics;
using System.Runtime.CompilerServices;
using ScratchNet.Models;
using ScratchNet.Randomness;
using ScratchNet.Runs;
using ScratchNet.Tensors;
using ScratchNet.Tensors.Internals;

namespace ScratchNet.Training.Fast;

/// <summary>
/// Per-example Adam for an <see cref="Mlp{T}"/> with the first layer's weight update replayed lazily, row by row.
/// Adam's update of one element depends only on its own w, m, v, its gradient and the step's scalars, and the row of
/// W1 for a zero input x_j gets gradient +0 (plus λw). Such zero-gradient steps are deferred per row and replayed
/// later with exactly <see cref="Optimizer{T}"/>'s operations, in the same order, when the row is next read (the
/// forward pass of an example with x_j ≠ 0, fused into the same sweep) or by <see cref="ApplyPendingUpdate"/>.
/// A replay keeps a slice of the row's w, m and v in registers over all its steps, so a step moves only the rows the
/// previous and current examples touch, instead of streaming all of W1, m, v and the gradient through memory; the
/// last example's own gradient x_j·dz is applied in the next sweep (never materialised) and formed as the gradient
/// accumulation forms it (a fused multiply-add onto +0). Every other parameter (b1, the layers above) takes the
/// optimizer's dense step as before, and the forward pass adds the rows in increasing j with fused multiply-adds as
/// <see cref="NonZeroInputs"/> does, so the trajectory is bit-identical to Forward, Backward, AccumulateGradients and
/// <see cref="Optimizer{T}.Step"/>. Between steps W1, m and v lag behind: call <see cref="ApplyPendingUpdate"/>
/// before anything reads them. With two threads and a first layer of at least
/// <see cref="SplitFirstLayer{T}.MinimumColumns"/> units, W1 and its moments are split by hidden columns into two
/// blocks, each swept by its own core (a column's steps never involve another column, so the bits are one thread's);
/// the blocks then hold W1, m and v until <see cref="ApplyPendingUpdate"/> copies them back.
/// </summary>
public sealed class PerExampleMlpAdam<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    // a row left behind this many steps makes the next step flush everything (bounds the scalars kept)
    private const int MaxLag = 1 << 16;
    private readonly Mlp<T> _model;
    private readonly Optimizer<T> _optimizer;
    private readonly DenseLayer<T> _first;
    private readonly int _firstWeight;
    private readonly T[] _m, _v;
    private readonly T _pixelScale;
    private readonly T[] _pendingGradient;
    private readonly Constants _constants;
    private int[] _rows, _pendingRows;
    private T[] _values, _pendingValues;
    private int _pendingCount;
    private bool _active;
    private long _base;
    private T[] _stepSizes = new T[1024], _corrections = new T[1024];
    private int _scalarCount;
    // the first scalar index from which every √(1 − β2ᵗ) is exactly 1 (then √v / 1 = √v: that division is skipped)
    private int _unitCorrectionsFrom;
    // one block (the model's own arrays), or two with a partner thread sweeping the right one
    private readonly ColumnBlock _whole;
    private readonly ColumnBlock? _left, _right;
    private readonly PartnerThread? _partner;
    private readonly int[] _allRows;
    // the sweep the partner runs: its rows, their inputs (none: no forward pass) and the row count
    private int[] _sweepRows = [];
    private T[]? _sweepValues;
    private int _sweepCount;

    /// <summary>Steps <paramref name="model"/> with <paramref name="optimizer"/> (Adam, over the model's parameters)
    /// on images whose input is x_j = pixel_j · <paramref name="pixelScale"/>; with <paramref name="threads"/> ≥ 2
    /// the first layer's sweep uses two cores when it is wide enough (the result does not depend on it).</summary>
    public PerExampleMlpAdam(Mlp<T> model, Optimizer<T> optimizer, T pixelScale, int threads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (optimizer.Kind != OptimizerKind.Adam)
            throw new ArgumentException("the optimizer is not Adam.", nameof(optimizer));
        _model = model;
        _optimizer = optimizer;
        _first = model.Network.Layers[0];
        _firstWeight = IndexOf(optimizer.Parameters, _first.Weight);
        _m = optimizer.FirstMoments[_firstWeight];
        _v = optimizer.SecondMoments[_firstWeight];
        _pixelScale = pixelScale;
        _rows = new int[_first.In];
        _pendingRows = new int[_first.In];
        _values = new T[_first.In];
        _pendingValues = new T[_first.In];
        _pendingGradient = new T[_first.Out];
        var (beta1, beta2) = (T.CreateChecked(Optimizer<T>.Beta1), T.CreateChecked(Optimizer<T>.Beta2));
        _constants = new Constants(beta1, beta2, T.One - beta1, T.One - beta2, T.CreateChecked(Optimizer<T>.Epsilon),
            T.CreateChecked(optimizer.WeightDecay), T.One / T.CreateChecked(1));
        var (inputs, hidden) = (_first.In, _first.Out);
        _allRows = Enumerable.Range(0, inputs).ToArray();
        _whole = new ColumnBlock(_first.Weight.Value, _m, _v, new long[inputs], 0, hidden, []);
        if (threads >= 2 && SplitFirstLayer<T>.Pays(hidden))
        {
            var split = SplitFirstLayer<T>.SplitColumn(hidden);
            // the left block writes its columns of the model's z1; the right one its own, so the cores share no line of z1
            _left = ColumnBlock.Copy(inputs, 0, split, ownOutput: false);
            _right = ColumnBlock.Copy(inputs, split, hidden - split, ownOutput: true);
            _partner = new PartnerThread(() => Sweep(_right, _sweepRows.AsSpan(0, _sweepCount), _sweepValues, default), "ScratchNet Adam partner");
        }
    }

    /// <summary>True when the first layer's sweep runs on two threads.</summary>
    public bool IsSplit => _partner is not null;

    /// <summary>The partner thread of a split first layer (for tests and the profile: how many halves the owner ran).</summary>
    internal PartnerThread? Partner => _partner;

    /// <summary>True while W1, its moments or both lag behind the optimizer's step count.</summary>
    public bool HasPendingUpdate => _active;

    /// <summary>One example's forward, backward and Adam step (W1's part deferred); returns its loss.</summary>
    public T Step(ReadOnlySpan<byte> pixels, int label, IDropoutMasks? dropout)
    {
        ThrowHelper.IfLengthNot(pixels.Length, _first.In, nameof(pixels));
        if (_active && _scalarCount >= MaxLag)
            ApplyPendingUpdate();
        if (!_active)
            Activate();
        var count = NonZeroInputs.GatherNonZero(pixels, _pixelScale, _rows, _values);

        // the last step's W1 update for its rows, every zero-gradient step still owed by this example's rows, and
        // z1 = b1 + Σ x_j W1[j, :] over the updated rows, in one sweep in increasing j
        var z = _model.Network.FirstLayerOutput;
        _first.Bias.Value.CopyTo(z);
        if (_partner is null)
        {
            Sweep(_whole, _rows.AsSpan(0, count), _values, z);
        }
        else
        {
            _first.Bias.Value.AsSpan(_right!.First, _right.Width).CopyTo(_right.Z);
            SweepBoth(_rows, _values, count, z);
            _right.Z.CopyTo(z[_right.First..]);
        }

        var loss = _model.ForwardFromFirstLayerOutput(label, dropout);
        _model.Backward();
        _model.Network.AccumulateGradientsExceptFirstWeight();
        _optimizer.StepAllBut(_firstWeight, batchSize: 1);
        AppendScalars(_optimizer.Steps);

        _model.Network.FirstLayerOutputGradient.CopyTo(_pendingGradient);
        (_rows, _pendingRows) = (_pendingRows, _rows);
        (_values, _pendingValues) = (_pendingValues, _values);
        _pendingCount = count;
        return loss;
    }

    /// <summary>Brings every row of W1 and of its moments up to the optimizer's step count.</summary>
    public void ApplyPendingUpdate()
    {
        if (!_active)
            return;
        if (_partner is null)
        {
            Sweep(_whole, _allRows, null, default);
        }
        else
        {
            SweepBoth(_allRows, null, _allRows.Length, default);
            _left!.StoreInto(_whole);
            _right!.StoreInto(_whole);
        }
        _pendingCount = 0;
        _active = false;
    }

    /// <summary>Stops the partner thread of a split first layer (it also exits by itself after a second without work).</summary>
    public void Dispose() => _partner?.Dispose();

    private void Activate()
    {
        _left?.LoadFrom(_whole);
        _right?.LoadFrom(_whole);
        _base = _optimizer.Steps;
        _whole.Restart(_base);
        _left?.Restart(_base);
        _right?.Restart(_base);
        _scalarCount = 0;
        _unitCorrectionsFrom = 0;
        _pendingCount = 0;
        _active = true;
    }

    private void AppendScalars(long step)
    {
        if (_scalarCount == _stepSizes.Length)
        {
            Array.Resize(ref _stepSizes, _scalarCount * 2);
            Array.Resize(ref _corrections, _scalarCount * 2);
        }
        (_stepSizes[_scalarCount], _corrections[_scalarCount]) = _optimizer.AdamScalars(step);
        _scalarCount++;
        if (_corrections[_scalarCount - 1] != T.One)
            _unitCorrectionsFrom = _scalarCount;
    }

    // The left block here and the right one on the partner, over the same rows (values null: no forward pass); the
    // left block's z1 columns are z's own.
    private void SweepBoth(int[] rows, T[]? values, int count, Span<T> z)
    {
        (_sweepRows, _sweepValues, _sweepCount) = (rows, values, count);
        _partner!.Post();
        try
        {
            Sweep(_left!, rows.AsSpan(0, count), values, z);
        }
        finally
        {
            _partner.Wait();
        }
    }

    // Every row of the pending list or of rows, in increasing j, brought up to the optimizer's step in the block's
    // columns: a pending row takes the last step with its gradient x_j·dz, any other row its owed zero-gradient steps;
    // then, when values is given, z += values[k]·W1[rows[k], :] (z: the block's columns; the block's own Z when it
    // has one). Writes only the block (with its own record of the step each row is at) and z, so two blocks can be
    // swept at once, and neither core reads a line the other writes but the step's inputs.
    private unsafe void Sweep(ColumnBlock block, ReadOnlySpan<int> rows, T[]? values, Span<T> z)
    {
        var target = _optimizer.Steps;
        var forward = values is not null;
        var h = block.Width;
        var pendingRows = _pendingRows.AsSpan(0, _pendingCount);
        var applied = block.Applied;
        if (block.Z.Length > 0)
            z = block.Z;
        fixed (T* w = block.W)
        fixed (T* m = block.M)
        fixed (T* v = block.V)
        fixed (T* gradient = _pendingGradient)
        fixed (T* output = z)
        fixed (T* stepSizes = _stepSizes)
        fixed (T* corrections = _corrections)
        {
            var dz = gradient + block.First;
            int p = 0, c = 0;
            while (p < pendingRows.Length || c < rows.Length)
            {
                var pendingRow = p < pendingRows.Length ? pendingRows[p] : int.MaxValue;
                var row = c < rows.Length ? rows[c] : int.MaxValue;
                var j = Math.Min(pendingRow, row);
                var offset = (nint)j * h;
                var first = (int)(applied[j] - _base);
                var steps = (int)(target - applied[j]);
                var rowArgs = new RowArgs(w + offset, m + offset, v + offset, h, stepSizes + first, corrections + first, steps,
                    UnitCorrections: first >= _unitCorrectionsFrom);
                if (pendingRow == j)
                {
                    Replay(rowArgs, real: true, _pendingValues[p], dz, forward && row == j, forward && row == j ? values![c] : T.Zero, output);
                    p++;
                }
                else
                {
                    Replay(rowArgs, real: false, T.Zero, dz, forward, forward ? values![c] : T.Zero, output);
                }
                if (row == j)
                    c++;
                applied[j] = target;
            }
        }
    }

    // Columns [First, First + Width) of W1 and of its moments, row-major with rows Width long: the model's and the
    // optimizer's own arrays (the whole width), or a block's copy with its own z1 columns (Z, else empty). Applied[j]:
    // the optimizer step row j of the block is at (each block its own, written by the thread that sweeps it).
    private sealed class ColumnBlock(T[] w, T[] m, T[] v, long[] applied, int first, int width, T[] z)
    {
        public T[] W { get; } = w;
        public T[] M { get; } = m;
        public T[] V { get; } = v;
        public long[] Applied { get; } = applied;
        public T[] Z { get; } = z;
        public int First { get; } = first;
        public int Width { get; } = width;

        public static ColumnBlock Copy(int inputs, int first, int width, bool ownOutput) =>
            new(new T[inputs * width], new T[inputs * width], new T[inputs * width], new long[inputs], first, width, ownOutput ? new T[width] : []);

        // every row at the given step, nothing owed
        public void Restart(long step) => Array.Fill(Applied, step);

        public void LoadFrom(ColumnBlock whole)
        {
            for (var j = 0; j * Width < W.Length; j++)
            {
                var (from, to) = (j * whole.Width + First, j * Width);
                whole.W.AsSpan(from, Width).CopyTo(W.AsSpan(to, Width));
                whole.M.AsSpan(from, Width).CopyTo(M.AsSpan(to, Width));
                whole.V.AsSpan(from, Width).CopyTo(V.AsSpan(to, Width));
            }
        }

        public void StoreInto(ColumnBlock whole)
        {
            for (var j = 0; j * Width < W.Length; j++)
            {
                var (from, to) = (j * Width, j * whole.Width + First);
                W.AsSpan(from, Width).CopyTo(whole.W.AsSpan(to, Width));
                M.AsSpan(from, Width).CopyTo(whole.M.AsSpan(to, Width));
                V.AsSpan(from, Width).CopyTo(whole.V.AsSpan(to, Width));
            }
        }
    }

    // UnitCorrections: every correction of the row's steps is exactly 1
    private readonly unsafe struct RowArgs(T* w, T* m, T* v, int h, T* stepSizes, T* corrections, int steps, bool UnitCorrections)
    {
        public readonly T* W = w, M = m, V = v, StepSizes = stepSizes, Corrections = corrections;
        public readonly int H = h, Steps = steps;
        public readonly bool UnitCorrections = UnitCorrections;
    }

    private readonly record struct Constants(T Beta1, T Beta2, T OneMinusBeta1, T OneMinusBeta2, T Epsilon, T Decay, T Mean);

    // One row: its owed steps (real: exactly one, with gradient fma(x, dz, +0); else zero-gradient ones), then
    // z += forwardX·w when forward. Vectors first (RealStepVectors, ReplayWithoutDecayVectors for λ = 0,
    // ReplayVectors otherwise), then scalars: per element the optimizer's operations, none fused but the gradient and
    // the forward pass.
    private unsafe void Replay(RowArgs row, bool real, T gradientX, T* dz, bool forward, T forwardX, T* z) =>
        Replay(row, _constants, real, gradientX, dz, forward, forwardX, z);

    /// <summary>Replays zero-gradient Adam steps on one row (w, m, v of equal length), step t with
    /// <paramref name="stepSizes"/>[t] and <paramref name="corrections"/>[t]: the kernel alone, for its benchmark.</summary>
    internal static unsafe void ReplayZeroGradientSteps(Span<T> w, Span<T> m, Span<T> v, ReadOnlySpan<T> stepSizes,
        ReadOnlySpan<T> corrections, double weightDecay)
    {
        var (beta1, beta2) = (T.CreateChecked(Optimizer<T>.Beta1), T.CreateChecked(Optimizer<T>.Beta2));
        var constants = new Constants(beta1, beta2, T.One - beta1, T.One - beta2, T.CreateChecked(Optimizer<T>.Epsilon),
            T.CreateChecked(weightDecay), T.One);
        fixed (T* wp = w)
        fixed (T* mp = m)
        fixed (T* vp = v)
        fixed (T* sp = stepSizes)
        fixed (T* cp = corrections)
        {
            var unit = true;
            foreach (var correction in corrections)
                unit &= correction == T.One;
            Replay(new RowArgs(wp, mp, vp, w.Length, sp, cp, stepSizes.Length, unit), constants, false, T.Zero, null, false, T.Zero, null);
        }
    }

    private static unsafe void Replay(RowArgs row, Constants k, bool real, T gradientX, T* dz, bool forward, T forwardX, T* z)
    {
        int col = 0, h = row.H;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var vk = new VectorConstants(k);
            var fx = new Vector<T>(forwardX);
            col = real ? RealStepVectors(row, vk, new Vector<T>(gradientX), dz, forward, fx, z)
                : k.Decay == T.Zero ? ReplayWithoutDecayVectors(row, vk, forward, fx, z)
                : ReplayVectors(row, vk, forward, fx, z);
        }
        for (; col < h; col++)
        {
            var (w, m, v) = (row.W[col], row.M[col], row.V[col]);
            if (real)
            {
                ScalarStep(ref w, ref m, ref v, T.FusedMultiplyAdd(gradientX, dz[col], T.Zero) * k.Mean, row.StepSizes[0], row.Corrections[0], k);
            }
            else
            {
                for (var t = 0; t < row.Steps; t++)
                    ScalarStep(ref w, ref m, ref v, T.Zero * k.Mean, row.StepSizes[t], row.Corrections[t], k);
            }
            (row.W[col], row.M[col], row.V[col]) = (w, m, v);
            if (forward)
                z[col] = T.FusedMultiplyAdd(forwardX, w, z[col]);
        }
    }

    // The row's one real step, a vector at a time (the vectors share no dependency chain, so one in flight per
    // iteration keeps the divider busy): g = fma(x, dz, +0)·mean + w·λ as the gradient accumulation and the optimizer
    // form it; then z += forwardX·w. Returns the first column left to the scalar tail.
    private static unsafe int RealStepVectors(RowArgs row, in VectorConstants k, Vector<T> gx, T* dz, bool forward, Vector<T> fx, T* z)
    {
        int width = Vector<T>.Count, col = 0;
        var s = new Vector<T>(row.StepSizes[0]);
        var c2 = new Vector<T>(row.Corrections[0]);
        for (; col + width <= row.H; col += width)
        {
            var (w, m, v) = (Load(row.W, col), Load(row.M, col), Load(row.V, col));
            var g = Fma(gx, Load(dz, col), Vector<T>.Zero) * k.Mean;
            if (row.UnitCorrections)
                AdamStepUnitCorrection(ref w, ref m, ref v, g, s, k);
            else
                AdamStep(ref w, ref m, ref v, g, s, c2, k);
            Store(w, row.W, col);
            Store(m, row.M, col);
            Store(v, row.V, col);
            if (forward)
                Store(Fma(fx, w, Load(z, col)), z, col);
        }
        return col;
    }

    // Zero-gradient steps with λ = 0. While w is finite, g = 0·mean + w·0 is exactly +0 (+0 + ±0 = +0), so
    // m ← m·β1 + (+0) and v ← v·β2 + (+0) (the + 0 kept: it turns −0 into +0 as the reference does), and w only takes
    // w − m·s / (√v / c + ε): w leaves the moments' dependency chain and the √ and ÷ of successive steps overlap, so
    // three vectors of w, m, v (nine registers, plus β1, β2, ε, +0 and the step's scalars) keep the divider busy (the
    // JIT's loop keeps all but one w vector in registers). A non-finite w stays non-finite (Inf − finite = Inf, NaN stays NaN), so a block whose w is finite after
    // its steps was finite at every step and is exact; otherwise it is redone from memory (not yet overwritten) with the
    // general step. Returns the first column left to the scalar tail.
    private static unsafe int ReplayWithoutDecayVectors(RowArgs row, in VectorConstants k, bool forward, Vector<T> fx, T* z)
    {
        int width = Vector<T>.Count, col = 0, h = row.H;
        for (; col + width <= h; )
        {
            var block = col + 3 * width <= h ? 3 : 1;
            if (!(block == 3 ? TryZeroSteps3(row, col, k) : TryZeroSteps1(row, col, k)))
            {
                for (var b = 0; b < block; b++)
                    ReplayVector(row, col + b * width, k);
            }
            for (var b = 0; b < block && forward; b++)
                Store(Fma(fx, Load(row.W, col + b * width), Load(z, col + b * width)), z, col + b * width);
            col += block * width;
        }
        return col;
    }

    // Three vectors of the row (from col) through its steps with g = +0; stores them and returns true when every w
    // is finite at the end, else stores nothing and returns false. No calls inside, so the loop keeps its registers.
    private static unsafe bool TryZeroSteps3(in RowArgs row, int col, in VectorConstants k)
    {
        int width = Vector<T>.Count, steps = row.Steps;
        var (beta1, beta2, epsilon, zero) = (k.Beta1, k.Beta2, k.Epsilon, k.ZeroGradient);
        var (w0, w1, w2) = (Load(row.W, col), Load(row.W, col + width), Load(row.W, col + 2 * width));
        var (m0, m1, m2) = (Load(row.M, col), Load(row.M, col + width), Load(row.M, col + 2 * width));
        var (v0, v1, v2) = (Load(row.V, col), Load(row.V, col + width), Load(row.V, col + 2 * width));
        if (row.UnitCorrections)
        {
            for (var t = 0; t < steps; t++)
            {
                var s = new Vector<T>(row.StepSizes[t]);
                ZeroStepUnitCorrection(ref w0, ref m0, ref v0, s, beta1, beta2, epsilon, zero);
                ZeroStepUnitCorrection(ref w1, ref m1, ref v1, s, beta1, beta2, epsilon, zero);
                ZeroStepUnitCorrection(ref w2, ref m2, ref v2, s, beta1, beta2, epsilon, zero);
            }
        }
        else
        {
            for (var t = 0; t < steps; t++)
            {
                var (s, c2) = (new Vector<T>(row.StepSizes[t]), new Vector<T>(row.Corrections[t]));
                ZeroStep(ref w0, ref m0, ref v0, s, c2, beta1, beta2, epsilon, zero);
                ZeroStep(ref w1, ref m1, ref v1, s, c2, beta1, beta2, epsilon, zero);
                ZeroStep(ref w2, ref m2, ref v2, s, c2, beta1, beta2, epsilon, zero);
            }
        }
        if (!AllFinite(w0 * zero + w1 * zero + w2 * zero))
            return false;
        Store(w0, row.W, col); Store(w1, row.W, col + width); Store(w2, row.W, col + 2 * width);
        Store(m0, row.M, col); Store(m1, row.M, col + width); Store(m2, row.M, col + 2 * width);
        Store(v0, row.V, col); Store(v1, row.V, col + width); Store(v2, row.V, col + 2 * width);
        return true;
    }

    // TryZeroSteps3 for one vector
    private static unsafe bool TryZeroSteps1(in RowArgs row, int col, in VectorConstants k)
    {
        var (beta1, beta2, epsilon, zero) = (k.Beta1, k.Beta2, k.Epsilon, k.ZeroGradient);
        var (w, m, v) = (Load(row.W, col), Load(row.M, col), Load(row.V, col));
        for (var t = 0; t < row.Steps; t++)
        {
            if (row.UnitCorrections)
                ZeroStepUnitCorrection(ref w, ref m, ref v, new Vector<T>(row.StepSizes[t]), beta1, beta2, epsilon, zero);
            else
                ZeroStep(ref w, ref m, ref v, new Vector<T>(row.StepSizes[t]), new Vector<T>(row.Corrections[t]), beta1, beta2, epsilon, zero);
        }
        if (!AllFinite(w * zero))
            return false;
        Store(w, row.W, col);
        Store(m, row.M, col);
        Store(v, row.V, col);
        return true;
    }

    // finite·0 is ±0 and Inf·0 or NaN·0 is NaN: the sum of the products is ±0 exactly when every w was finite
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool AllFinite(Vector<T> productsWithZero) => Vector.EqualsAll(productsWithZero, Vector<T>.Zero);

    // Zero-gradient steps with λ ≠ 0: the optimizer's step as it is (w feeds g, so the chain runs through w, m, √ and
    // ÷: five vectors at a time overlap their chains), then single vectors. Returns the first column left to the
    // scalar tail.
    private static unsafe int ReplayVectors(RowArgs row, in VectorConstants k, bool forward, Vector<T> fx, T* z)
    {
        int width = Vector<T>.Count, col = 0, h = row.H;
        for (; col + 5 * width <= h; col += 5 * width)
        {
            var (w0, w1, w2, w3, w4) = (Load(row.W, col), Load(row.W, col + width), Load(row.W, col + 2 * width), Load(row.W, col + 3 * width), Load(row.W, col + 4 * width));
            var (m0, m1, m2, m3, m4) = (Load(row.M, col), Load(row.M, col + width), Load(row.M, col + 2 * width), Load(row.M, col + 3 * width), Load(row.M, col + 4 * width));
            var (v0, v1, v2, v3, v4) = (Load(row.V, col), Load(row.V, col + width), Load(row.V, col + 2 * width), Load(row.V, col + 3 * width), Load(row.V, col + 4 * width));
            if (row.UnitCorrections)
            {
                for (var t = 0; t < row.Steps; t++)
                {
                    var s = new Vector<T>(row.StepSizes[t]);
                    AdamStepUnitCorrection(ref w0, ref m0, ref v0, k.ZeroGradient, s, k);
                    AdamStepUnitCorrection(ref w1, ref m1, ref v1, k.ZeroGradient, s, k);
                    AdamStepUnitCorrection(ref w2, ref m2, ref v2, k.ZeroGradient, s, k);
                    AdamStepUnitCorrection(ref w3, ref m3, ref v3, k.ZeroGradient, s, k);
                    AdamStepUnitCorrection(ref w4, ref m4, ref v4, k.ZeroGradient, s, k);
                }
            }
            else
            {
                for (var t = 0; t < row.Steps; t++)
                {
                    var (s, c2) = (new Vector<T>(row.StepSizes[t]), new Vector<T>(row.Corrections[t]));
                    AdamStep(ref w0, ref m0, ref v0, k.ZeroGradient, s, c2, k);
                    AdamStep(ref w1, ref m1, ref v1, k.ZeroGradient, s, c2, k);
                    AdamStep(ref w2, ref m2, ref v2, k.ZeroGradient, s, c2, k);
                    AdamStep(ref w3, ref m3, ref v3, k.ZeroGradient, s, c2, k);
                    AdamStep(ref w4, ref m4, ref v4, k.ZeroGradient, s, c2, k);
                }
            }
            Store(w0, row.W, col); Store(w1, row.W, col + width); Store(w2, row.W, col + 2 * width); Store(w3, row.W, col + 3 * width); Store(w4, row.W, col + 4 * width);
            Store(m0, row.M, col); Store(m1, row.M, col + width); Store(m2, row.M, col + 2 * width); Store(m3, row.M, col + 3 * width); Store(m4, row.M, col + 4 * width);
            Store(v0, row.V, col); Store(v1, row.V, col + width); Store(v2, row.V, col + 2 * width); Store(v3, row.V, col + 3 * width); Store(v4, row.V, col + 4 * width);
            if (forward)
            {
                Store(Fma(fx, w0, Load(z, col)), z, col);
                Store(Fma(fx, w1, Load(z, col + width)), z, col + width);
                Store(Fma(fx, w2, Load(z, col + 2 * width)), z, col + 2 * width);
                Store(Fma(fx, w3, Load(z, col + 3 * width)), z, col + 3 * width);
                Store(Fma(fx, w4, Load(z, col + 4 * width)), z, col + 4 * width);
            }
        }
        for (; col + width <= h; col += width)
        {
            ReplayVector(row, col, k);
            if (forward)
                Store(Fma(fx, Load(row.W, col), Load(z, col)), z, col);
        }
        return col;
    }

    // one vector of the row through all its zero-gradient steps with the optimizer's step as it is (any λ, any w)
    private static unsafe void ReplayVector(RowArgs row, int col, in VectorConstants k)
    {
        var (w, m, v) = (Load(row.W, col), Load(row.M, col), Load(row.V, col));
        for (var t = 0; t < row.Steps; t++)
            AdamStep(ref w, ref m, ref v, k.ZeroGradient, new Vector<T>(row.StepSizes[t]), new Vector<T>(row.Corrections[t]), k);
        Store(w, row.W, col);
        Store(m, row.M, col);
        Store(v, row.V, col);
    }

    private readonly struct VectorConstants(Constants k)
    {
        public readonly Vector<T> Beta1 = new(k.Beta1), Beta2 = new(k.Beta2), OneMinusBeta1 = new(k.OneMinusBeta1),
            OneMinusBeta2 = new(k.OneMinusBeta2), Epsilon = new(k.Epsilon), Decay = new(k.Decay), Mean = new(k.Mean),
            ZeroGradient = Vector<T>.Zero * new Vector<T>(k.Mean);
    }

    // Optimizer.AdamStep's vector body for one element vector, from the mean gradient (Σ grad / batch, before λw)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AdamStep(ref Vector<T> w, ref Vector<T> m, ref Vector<T> v, Vector<T> meanGradient, Vector<T> stepSize,
        Vector<T> correction2Root, in VectorConstants k)
    {
        var g = meanGradient + w * k.Decay;
        m = m * k.Beta1 + g * k.OneMinusBeta1;
        v = v * k.Beta2 + g * k.OneMinusBeta2 * g;
        w = w - m * stepSize / (Vector.SquareRoot(v) / correction2Root + k.Epsilon);
    }

    // AdamStep when √(1 − β2ᵗ) is exactly 1 (from about step 16,600 in float32 and 36,700 in float64 on): √v / 1
    // is √v (IEEE division by 1 is exact, NaN included), so that division is left out; the rest as AdamStep
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AdamStepUnitCorrection(ref Vector<T> w, ref Vector<T> m, ref Vector<T> v, Vector<T> meanGradient,
        Vector<T> stepSize, in VectorConstants k)
    {
        var g = meanGradient + w * k.Decay;
        m = m * k.Beta1 + g * k.OneMinusBeta1;
        v = v * k.Beta2 + g * k.OneMinusBeta2 * g;
        w = w - m * stepSize / (Vector.SquareRoot(v) + k.Epsilon);
    }

    // AdamStep with g = +0 exactly (λ = 0, w finite): g·(1 − β1) and g·(1 − β2)·g are +0
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ZeroStep(ref Vector<T> w, ref Vector<T> m, ref Vector<T> v, Vector<T> stepSize, Vector<T> correction2Root,
        Vector<T> beta1, Vector<T> beta2, Vector<T> epsilon, Vector<T> positiveZero)
    {
        m = m * beta1 + positiveZero;
        v = v * beta2 + positiveZero;
        w = w - m * stepSize / (Vector.SquareRoot(v) / correction2Root + epsilon);
    }

    // AdamStepUnitCorrection with g = +0 exactly (λ = 0, w finite)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ZeroStepUnitCorrection(ref Vector<T> w, ref Vector<T> m, ref Vector<T> v, Vector<T> stepSize,
        Vector<T> beta1, Vector<T> beta2, Vector<T> epsilon, Vector<T> positiveZero)
    {
        m = m * beta1 + positiveZero;
        v = v * beta2 + positiveZero;
        w = w - m * stepSize / (Vector.SquareRoot(v) + epsilon);
    }

    // Optimizer.AdamStep's scalar tail
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScalarStep(ref T w, ref T m, ref T v, T meanGradient, T stepSize, T correction2Root, in Constants k)
    {
        var g = meanGradient + w * k.Decay;
        m = m * k.Beta1 + g * k.OneMinusBeta1;
        v = v * k.Beta2 + k.OneMinusBeta2 * g * g;
        w -= m * stepSize / (T.Sqrt(v) / correction2Root + k.Epsilon);
    }

    // a · b + c rounded once on every machine (hardware FMA, or the runtime's exact fallback): NonZeroInputs's kernels' operation
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Fma(Vector<T> a, Vector<T> b, Vector<T> c)
    {
        if (typeof(T) == typeof(float))
            return Vector.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector<T> Load(T* source, int offset) => Vector.Load(source + offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(Vector<T> value, T* destination, int offset) => value.Store(destination + offset);

    private static int IndexOf(IReadOnlyList<Parameter<T>> parameters, Parameter<T> parameter)
    {
        for (var p = 0; p < parameters.Count; p++)
        {
            if (ReferenceEquals(parameters[p], parameter))
                return p;
        }
        throw new ArgumentException("the optimizer does not hold the model's first weight.", nameof(parameters));
    }
}
