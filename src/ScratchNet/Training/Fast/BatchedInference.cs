using System.Numerics.Tensors;
using System.Numerics;
using ScratchNet.Models;
using ScratchNet.Tensors;

namespace ScratchNet.Training.Fast;

/// <summary>
/// Evaluation of many examples through GEMM: chunks of <see cref="Chunk"/> examples are scaled (byte × the caller's
/// pixel scale, 1/256 for Fashion-MNIST: the caller passes it so Models need not know the data set) into a reused
/// buffer and each layer runs as one matrix product over the chunk, then argmax per row. The per-example twin is
/// <see cref="IClassifierModel{T}.Predict"/>. Linear models get the bias column of 1s they append themselves (X is
/// chunk × [features, 1], logits = X Wᵀ); the MLP runs <see cref="BatchedMlp{T}"/>'s forward pass, the one training
/// uses, with dropout off, as in evaluation.
/// With <c>maxThreads</c> &gt; 1 and more than one chunk, each thread is a worker with its own buffers that takes
/// whole chunks as it comes free and runs their GEMMs on one thread: no fork per k block, and each worker packs the
/// weights into its own cache. A single chunk runs its GEMMs on all threads instead. An example's logits are the same
/// operations in the same order whichever worker, chunk or thread split computes them (GEMM never splits k), so the
/// predictions do not depend on <c>maxThreads</c>.
/// </summary>
public sealed class BatchedInference<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Examples per GEMM: 256 × 784 inputs fit L2 with the packed weights.</summary>
    public const int DefaultChunk = 256;

    private readonly IClassifierModel<T> _model;
    private readonly int _stride;      // inputs per row of the chunk buffer (features, + 1 for a bias column)
    private readonly Worker[] _workers;
    private readonly int _maxThreads;
    private readonly T _pixelScale;

    public BatchedInference(IClassifierModel<T> model, T pixelScale, int chunk = DefaultChunk, int maxThreads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunk, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxThreads, 1);
        if (!Supports(model))
            throw new ArgumentException($"batched inference supports the perceptron, logistic regression and the MLP; got {model.GetType().Name}.", nameof(model));
        _model = model;
        _maxThreads = maxThreads;
        _pixelScale = pixelScale;
        Chunk = chunk;
        _stride = model is Mlp<T> ? model.Features : model.Features + 1;
        // the first worker's buffers now; the others' when a call first has chunks for them
        _workers = new Worker[maxThreads];
        _workers[0] = new Worker(this);
    }

    public int Chunk { get; }

    public static bool Supports(IClassifierModel<T> model) => model is Perceptron<T> or LogisticRegression<T> or Mlp<T>;

    /// <summary>
    /// The predicted class of each of <paramref name="predicted"/>.Length examples whose pixels are stored one
    /// example after another in <paramref name="pixels"/> (features bytes each), ties to the first class.
    /// </summary>
    public void Predict(ReadOnlySpan<byte> pixels, Span<int> predicted)
    {
        ThrowHelper.IfLengthNot(pixels.Length, predicted.Length * _model.Features, nameof(pixels));
        var chunks = (predicted.Length + Chunk - 1) / Chunk;
        var workers = Math.Min(_maxThreads, chunks);
        if (workers <= 1)
        {
            _workers[0].Threads = _maxThreads;
            for (var c = 0; c < chunks; c++)
                _workers[0].Run(pixels, predicted, c);
            return;
        }

        for (var w = 0; w < workers; w++)
        {
            _workers[w] ??= new Worker(this);
            _workers[w].Threads = 1;
        }
        unsafe
        {
            fixed (byte* pixelPointer = pixels)
            fixed (int* predictedPointer = predicted)
            {
                var (pixelAddress, predictedAddress, count) = ((nint)pixelPointer, (nint)predictedPointer, predicted.Length);
                var next = -1;
                Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
                {
                    var allPixels = new ReadOnlySpan<byte>((byte*)pixelAddress, count * _model.Features);
                    var allPredicted = new Span<int>((int*)predictedAddress, count);
                    for (var c = Interlocked.Increment(ref next); c < chunks; c = Interlocked.Increment(ref next))
                        _workers[w].Run(allPixels, allPredicted, c);
                });
            }
        }
    }

    /// <summary>One thread's buffers: a chunk of scaled inputs, and the MLP's layer buffers or the linear logits.</summary>
    private sealed class Worker
    {
        private readonly BatchedInference<T> _owner;
        private readonly T[] _inputs;      // Chunk × stride
        private readonly T[] _logits;      // linear models: Chunk × classes
        private readonly BatchedMlp<T>? _mlp;

        public Worker(BatchedInference<T> owner)
        {
            _owner = owner;
            var (model, chunk, stride) = (owner._model, owner.Chunk, owner._stride);
            _inputs = new T[chunk * stride];
            if (model is Mlp<T> mlp)
            {
                _mlp = new BatchedMlp<T>(mlp.Network, chunk, 1, training: false);
                _logits = [];
            }
            else
            {
                _logits = new T[chunk * model.Classes];
                for (var r = 0; r < chunk; r++)
                    _inputs[r * stride + model.Features] = T.One;
            }
        }

        /// <summary>Threads this worker's GEMMs use.</summary>
        public int Threads { get; set; } = 1;

        /// <summary>Predicts chunk <paramref name="c"/> of the call's examples.</summary>
        public void Run(ReadOnlySpan<byte> pixels, Span<int> predicted, int c)
        {
            var (model, chunk) = (_owner._model, _owner.Chunk);
            var first = c * chunk;
            var rows = Math.Min(chunk, predicted.Length - first);
            LoadChunk(pixels.Slice(first * model.Features, rows * model.Features), rows);
            var logits = Forward(rows);
            for (var r = 0; r < rows; r++)
                predicted[first + r] = Scores.ArgMax<T>(logits.Slice(r * model.Classes, model.Classes));
        }

        // x_j = pixel_j × pixel scale (1/256: exact in float32 and float64), row r at r × stride; a bias column keeps its 1
        private void LoadChunk(ReadOnlySpan<byte> pixels, int rows)
        {
            var features = _owner._model.Features;
            for (var r = 0; r < rows; r++)
            {
                var row = _inputs.AsSpan(r * _owner._stride, features);
                TensorPrimitives.ConvertTruncating<byte, T>(pixels.Slice(r * features, features), row);
                TensorPrimitives.Multiply<T>(row, _owner._pixelScale, row);
            }
        }

        private ReadOnlySpan<T> Forward(int rows)
        {
            var stride = _owner._stride;
            if (_mlp is not null)
            {
                _mlp.MaxThreads = Threads;
                return _mlp.Forward(rows, _inputs.AsSpan(0, rows * stride), masked: false);
            }

            // logits = [X, 1] Wᵀ, W stored classes × [features, 1]
            var model = _owner._model;
            var classes = model.Classes;
            var weight = model is Perceptron<T> perceptron ? perceptron.Weight : ((LogisticRegression<T>)model).Weight;
            var logits = _logits.AsSpan(0, rows * classes);
            Gemm.Multiply(GemmLayout.TransposeB, rows, classes, stride, T.One,
                _inputs.AsSpan(0, rows * stride), weight.Value, T.Zero, logits, Threads);
            return logits;
        }
    }
}
