using System.Numerics;
using System.Numerics.Tensors;
using ScratchNet.Data;
using ScratchNet.Models;
using ScratchNet.Randomness;
using ScratchNet.Tensors;
using ScratchNet.Tensors.Internals;

namespace ScratchNet.Training.Fast;

/// <summary>How the first layer (pixels → hidden) of a mini-batch step multiplies.</summary>
public enum FirstLayerKernel
{
    /// <summary>Dense GEMM on X = pixels × 1/256: Z = X·W, dW += Xᵀ·dZ.</summary>
    Gemm,
    /// <summary>X's non-zero pixels only, in compressed rows: Z += X·W and dW += Xᵀ·dZ read W's and dZ's rows only for non-zero pixels.</summary>
    NonZero,
}

/// <summary>
/// One mini-batch of an <see cref="Mlp{T}"/> as matrix products over the whole batch (N = batch, D = inputs,
/// K = classes): gathers the batch's pixels, draws its dropout masks, runs <see cref="BatchedMlp{T}"/>'s forward pass,
/// softmax and dZ = P − Y per example, and its backward pass; the first layer by GEMM on X = pixels × 1/256, or for
/// small batches over X's non-zero pixels only (<see cref="FirstLayerKernel"/>). Adds the batch's summed gradients to
/// each parameter's <c>Gradient</c>, exactly what the per-example Forward/Backward/AccumulateGradients loop adds,
/// summed in another order; the caller then steps the optimizer. Dropout masks are drawn example by example, layer by
/// layer, as the per-example path draws them. Buffers are sized for the largest batch seen; no allocation per batch.
/// Results do not depend on <c>maxThreads</c>.
/// </summary>
public sealed class BatchedMlpStep<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Batches of at least this many examples take <see cref="FirstLayerKernel.Gemm"/> by default, smaller ones
    /// <see cref="FirstLayerKernel.NonZero"/>: at 16 the non-zero kernels (plus building X and Xᵀ) were level with or
    /// faster than GEMM, at 64 and 256 GEMM was faster (docs/kernels.md, "Mini-batch training").
    /// </summary>
    public const int GemmFromBatch = 32;

    private readonly FeedForward<T> _network;
    private readonly DenseLayer<T>[] _layers;
    private readonly BatchedMlp<T> _mlp;
    private readonly int _maxThreads;
    private readonly FirstLayerKernel? _firstLayer;
    private readonly bool? _forkSteps;
    private readonly ForkProbe[] _forkProbes = [new(), new()]; // one per FirstLayerKernel
    private readonly T _keepScale;
    private bool _forkThisStep;
    private PartnerThread? _partner;
    private Product _product;
    private byte[] _pixels = [];
    private int[] _labels = [], _indices = [];
    private T[] _x = [], _xValues = [], _xtValues = [], _probabilities = [];
    private int[] _xStarts = [], _xColumns = [], _xtStarts = [], _xtColumns = [];

    /// <param name="model">The MLP whose parameters' gradients the steps add to.</param>
    /// <param name="maxBatch">The batch size the buffers are first sized for.</param>
    /// <param name="maxThreads">Threads a step may use (the non-zero kernel's column split, the GEMMs, the gather).</param>
    /// <param name="firstLayer">Forces the first layer's kernel; null: <see cref="DefaultFirstLayer"/> of each batch's size.</param>
    /// <param name="forkSteps">With two threads or more, whether a step uses them (the non-zero kernel's column split,
    /// the GEMMs' threads, the gather) where the work allows: null decides by timing the run's first steps of each
    /// first-layer kernel (<see cref="ForkProbe"/>); true or false forces it (tests). Never changes a result.</param>
    public BatchedMlpStep(Mlp<T> model, int maxBatch, int maxThreads = 1, FirstLayerKernel? firstLayer = null, bool? forkSteps = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxThreads, 1);
        _network = model.Network;
        _layers = _network.Layers;
        _maxThreads = maxThreads;
        _firstLayer = firstLayer;
        _forkSteps = forkSteps;
        _keepScale = T.CreateChecked(1.0 / (1.0 - _network.Dropout));
        _mlp = new BatchedMlp<T>(_network, maxBatch, maxThreads, training: true);
        Allocate(maxBatch);
    }

    /// <summary>The largest batch the buffers hold now (a larger one reallocates them once).</summary>
    public int Capacity { get; private set; }

    /// <summary>The first-layer kernel a batch of this size takes unless one was forced: the faster one measured.</summary>
    public static FirstLayerKernel DefaultFirstLayer(int batch) => batch >= GemmFromBatch ? FirstLayerKernel.Gemm : FirstLayerKernel.NonZero;

    /// <summary>
    /// Forward and backward over the examples at <paramref name="indices"/>: returns the sum of their
    /// cross-entropies and adds their summed gradients to the parameters' gradients. With a
    /// <paramref name="dropout"/> stream (and a dropout rate) the hidden units are dropped as in training.
    /// </summary>
    public double Accumulate(LabeledImages images, ReadOnlySpan<int> indices, IDropoutMasks? dropout)
    {
        if (images.Features != _network.Inputs)
            throw new ArgumentException($"the network takes {_network.Inputs} inputs; the images have {images.Features}.", nameof(images));
        var n = indices.Length;
        if (n > Capacity)
            Allocate(n);
        var kernel = _firstLayer ?? DefaultFirstLayer(n);
        _forkThisStep = _maxThreads >= 2 && (_forkSteps ?? _forkProbes[(int)kernel].NextStep());
        _mlp.MaxThreads = _forkThisStep ? _maxThreads : 1;
        Gather(images, indices, kernel);
        var masked = dropout is not null && _network.Dropout > 0;
        if (masked)
            DrawMasks(n, dropout!);
        var loss = Forward(n, kernel, masked);
        Backward(n, kernel, masked);
        return loss;
    }

    // Z[0] = X·W[0] + b[0] by the batch's kernel, the layers above, then per example P = softmax(Z[last]), dZ[last] = P − Y
    private double Forward(int n, FirstLayerKernel kernel, bool masked)
    {
        ReadOnlySpan<T> logits;
        if (kernel == FirstLayerKernel.NonZero)
        {
            var features = _network.Inputs;
            var first = _layers[0];
            var entries = CompressedRows.FromPixels(_pixels.AsSpan(0, n * features), features, Scale,
                _xStarts.AsSpan(0, n + 1), _xColumns, _xValues);
            NonZeroMultiplyAdd(_xStarts.AsSpan(0, n + 1), _xColumns.AsSpan(0, entries), _xValues.AsSpan(0, entries),
                first.Weight.Value, first.Out, _mlp.StartFirstLayer(n));
            logits = _mlp.ForwardFromFirstLayerOutput(n, masked);
        }
        else
        {
            logits = _mlp.Forward(n, X(n), masked);
        }

        var classes = _layers[^1].Out;
        var dLogits = _mlp.LogitsGradient(n);
        var loss = 0.0;
        for (var r = 0; r < n; r++)
        {
            var probabilities = _probabilities.AsSpan(r * classes, classes);
            loss += double.CreateChecked(SoftmaxCrossEntropy.Forward<T>(logits.Slice(r * classes, classes), _labels[r], probabilities));
            SoftmaxCrossEntropy.Backward<T>(probabilities, _labels[r], dLogits.Slice(r * classes, classes));
        }
        return loss;
    }

    // every gradient but dW[0] in BatchedMlp, then dW[0] += Xᵀ·dZ[0] by the batch's kernel
    private void Backward(int n, FirstLayerKernel kernel, bool masked)
    {
        if (kernel == FirstLayerKernel.Gemm)
        {
            _mlp.Backward(n, X(n), masked);
            return;
        }
        _mlp.BackwardExceptFirstWeight(n, masked);
        var features = _network.Inputs;
        var first = _layers[0];
        var entries = CompressedRows.FromPixelsTransposed(_pixels.AsSpan(0, n * features), features, Scale,
            _xtStarts, _xtColumns, _xtValues);
        NonZeroMultiplyAdd(_xtStarts, _xtColumns.AsSpan(0, entries), _xtValues.AsSpan(0, entries),
            _mlp.FirstLayerOutputGradient(n), first.Out, first.Weight.Gradient);
    }

    // C += S·B of the compressed-rows first layer (CompressedRows.MultiplyAdd): with two threads or more, enough
    // work, and a step that forks (ForkProbe: whether it pays on this machine is timed), the columns of C split at a
    // whole vector, the right part on the partner thread, which spins between calls (a hand-off costs about a
    // microsecond; a Parallel.For's wake-up and join cost more than half of a batch-16 call).
    // Two threads at most: the batches that take this kernel (below GemmFromBatch) are too small to feed more.
    private unsafe void NonZeroMultiplyAdd(ReadOnlySpan<int> starts, ReadOnlySpan<int> columns, ReadOnlySpan<T> values,
        ReadOnlySpan<T> b, int n, Span<T> c)
    {
        if (!_forkThisStep || (long)values.Length * n < NonZeroMinMultiplyAddsToFork || !SplitFirstLayer<T>.Pays(n))
        {
            CompressedRows.MultiplyAdd(starts, columns, values, b, n, c);
            return;
        }
        var m = CompressedRows.ValidateMultiplyAdd(starts, columns, values, b, n, c);
        var split = SplitFirstLayer<T>.SplitColumn(n);
        _partner ??= new PartnerThread(RunRightColumns, "ScratchNet mini-batch partner");
        fixed (int* s = starts)
        fixed (int* col = columns)
        fixed (T* val = values)
        fixed (T* pb = b)
        fixed (T* pc = c)
        {
            _product = new Product(m, (nint)s, (nint)col, (nint)val, (nint)pb, n, (nint)pc, split);
            _partner.Post();
            try
            {
                CompressedRows.MultiplyAddColumns(m, s, col, val, pb, n, pc, 0, split);
            }
            finally
            {
                _partner.Wait(); // the pointers stay pinned until the partner is done
            }
        }
    }

    private unsafe void RunRightColumns()
    {
        var p = _product;
        CompressedRows.MultiplyAddColumns(p.Rows, (int*)p.Starts, (int*)p.Columns, (T*)p.Values, (T*)p.B, p.N, (T*)p.C, p.Split, p.N);
    }

    // the product the partner works on: pinned pointers, valid until the owner's Wait returns
    private readonly record struct Product(int Rows, nint Starts, nint Columns, nint Values, nint B, int N, nint C, int Split);

    /// <summary>
    /// The compressed-rows first layer forks only from this many multiply-adds per call (non-zero pixels × hidden units),
    /// about 10 µs of one core. Issue 16: at batch 16 (≈ 6,200 non-zero pixels × 200 = 1.25 M, about 100 µs) each of
    /// the step's two calls once forked a Parallel.For, whose wake-up and join cost more than the half it saved (2
    /// threads took 1.419 s per epoch against 1.011 s on 1 on an AVX-512 machine), so the threshold went up to 4 M and
    /// no default batch forked at all; the fork is now a hand-off to a spinning partner thread (docs/benchmarks.md). That
    /// paid on a Zen 3 machine but not on an AVX-512 one whose cores hand cache lines over slowly, so whether a run's
    /// steps fork at all is timed at its start (<see cref="ForkProbe"/>). The split is by columns, so the result never
    /// depends on the thread count.
    /// </summary>
    public const long NonZeroMinMultiplyAddsToFork = 1L << 17;

    // The labels and the batch's pixel bytes, then for the GEMM kernel X = pixels × 1/256, row by row so that the
    // scaling pass reads the row from L1 (over the whole batch it re-read 800 KB from L3 at batch 256). All rows of a
    // range are copied first: interleaving each row's conversion with the copies (or converting straight from the
    // images) measured 145 µs instead of 95 at batch 256, as the scattered rows' cache misses no longer overlap.
    // With threads, the rows are split into contiguous ranges, four per thread handed out as threads come free (so a
    // second thread descheduled on a busy machine leaves little for the caller to wait on); element by element the
    // same copies and conversions.
    private void Gather(LabeledImages images, ReadOnlySpan<int> indices, FirstLayerKernel kernel)
    {
        var n = indices.Length;
        var convert = kernel == FirstLayerKernel.Gemm;
        indices.CopyTo(_indices);
        var threads = _forkThisStep ? Math.Min(_maxThreads, n / MinGatherRowsPerThread) : 1;
        if (threads <= 1)
            GatherRows(images, 0, n, convert);
        else
            GatherInParallel(images, n, convert, threads);
    }

    /// <summary>Below this many rows per thread, a second thread gathering costs more than it saves.</summary>
    private const int MinGatherRowsPerThread = 64;

    // its own method, so that the one-thread path allocates no closure
    private void GatherInParallel(LabeledImages images, int n, bool convert, int threads)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        var ranges = threads * 4;
        Parallel.For(0, ranges, options, t => GatherRows(images, t * n / ranges, (t + 1) * n / ranges, convert));
    }

    private void GatherRows(LabeledImages images, int first, int end, bool convert)
    {
        var features = images.Features;
        for (var r = first; r < end; r++)
        {
            images.Pixels(_indices[r]).CopyTo(_pixels.AsSpan(r * features, features));
            _labels[r] = images.Label(_indices[r]);
        }
        if (!convert)
            return;
        for (var r = first; r < end; r++)
        {
            var row = _x.AsSpan(r * features, features);
            TensorPrimitives.ConvertTruncating<byte, T>(_pixels.AsSpan(r * features, features), row);
            TensorPrimitives.Multiply<T>(row, Scale, row);
        }
    }

    // X (n × D): the GEMM kernel's scaled pixels (see Gather)
    private ReadOnlySpan<T> X(int n) => _x.AsSpan(0, n * _network.Inputs);

    // numpy's stream: the per-example path's order, example by example, hidden layer by layer, unit by unit. libtorch's
    // generator: as its Dropout draws them, one mask per hidden layer over the whole batch [n, out] in row-major order
    // (the same order as the per-example path when there is one hidden layer, or one example).
    private void DrawMasks(int n, IDropoutMasks dropout)
    {
        var rate = _network.Dropout;
        if (dropout is TorchGenerator)
        {
            for (var l = 0; l < _layers.Length - 1; l++)
                dropout.FillDropoutMask(_mlp.DropoutMask(l, n), rate, _keepScale);
            return;
        }
        for (var r = 0; r < n; r++)
        {
            for (var l = 0; l < _layers.Length - 1; l++)
                dropout.FillDropoutMask(_mlp.DropoutMask(l, n).Slice(r * _layers[l].Out, _layers[l].Out), rate, _keepScale);
        }
    }

    private static T Scale => T.CreateChecked(LabeledImages.PixelScale);

    private void Allocate(int batch)
    {
        var features = _network.Inputs;
        _pixels = new byte[batch * features];
        _labels = new int[batch];
        _indices = new int[batch];
        _x = new T[batch * features];
        (_xStarts, _xColumns, _xValues) = (new int[batch + 1], new int[batch * features], new T[batch * features]);
        (_xtStarts, _xtColumns, _xtValues) = (new int[features + 1], new int[batch * features], new T[batch * features]);
        _probabilities = new T[batch * _layers[^1].Out];
        _mlp.EnsureCapacity(batch);
        Capacity = batch;
    }
}
