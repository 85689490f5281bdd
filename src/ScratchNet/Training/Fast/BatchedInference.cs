using System.Numerics.Tensors;
using System.Numerics;
using ScratchNet.Models;
using ScratchNet.Tensors;

namespace ScratchNet.Training.Fast;

/// <summary>
/// Evaluation of many examples through GEMM: chunks of <see cref="Chunk"/> examples are scaled (byte × the caller's
/// pixel scale, 1/256 for Fashion-MNIST: the caller passes it so Models need not know the data set) into
/// one reused buffer and each layer runs as one matrix product over the chunk, then argmax per row. The per-example
/// twin is <see cref="IClassifierModel{T}.Predict"/>. Linear models get the bias column of 1s they append
/// themselves (X is chunk × [features, 1], logits = X Wᵀ); the MLP runs <see cref="BatchedMlp{T}"/>'s forward pass,
/// the one training uses, with dropout off, as in evaluation. The GEMM is deterministic whatever the thread count, so
/// the predictions do not depend on <c>maxThreads</c>.
/// </summary>
public sealed class BatchedInference<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Examples per GEMM: 256 × 784 inputs fit L2 with the packed weights.</summary>
    public const int DefaultChunk = 256;

    private readonly IClassifierModel<T> _model;
    private readonly int _stride;      // inputs per row of the chunk buffer (features, + 1 for a bias column)
    private readonly T[] _inputs;      // Chunk × _stride
    private readonly T[] _logits;      // linear models: Chunk × classes
    private readonly BatchedMlp<T>? _mlp;
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
        _inputs = new T[chunk * _stride];
        if (model is Mlp<T> mlp)
        {
            _mlp = new BatchedMlp<T>(mlp.Network, chunk, maxThreads, training: false);
            _logits = [];
        }
        else
        {
            _logits = new T[chunk * model.Classes];
            for (var r = 0; r < chunk; r++)
                _inputs[r * _stride + model.Features] = T.One;
        }
    }

    public int Chunk { get; }

    public static bool Supports(IClassifierModel<T> model) => model is Perceptron<T> or LogisticRegression<T> or Mlp<T>;

    /// <summary>
    /// The predicted class of each of <paramref name="predicted"/>.Length examples whose pixels are stored one
    /// example after another in <paramref name="pixels"/> (features bytes each), ties to the first class.
    /// </summary>
    public void Predict(ReadOnlySpan<byte> pixels, Span<int> predicted)
    {
        var features = _model.Features;
        ThrowHelper.IfLengthNot(pixels.Length, predicted.Length * features, nameof(pixels));
        for (var first = 0; first < predicted.Length; first += Chunk)
        {
            var rows = Math.Min(Chunk, predicted.Length - first);
            LoadChunk(pixels.Slice(first * features, rows * features), rows);
            var logits = Forward(rows);
            for (var r = 0; r < rows; r++)
                predicted[first + r] = Scores.ArgMax<T>(logits.Slice(r * _model.Classes, _model.Classes));
        }
    }

    // x_j = pixel_j × pixel scale (1/256: exact in float32 and float64), row r at r × stride; a bias column keeps its 1
    private void LoadChunk(ReadOnlySpan<byte> pixels, int rows)
    {
        var features = _model.Features;
        for (var r = 0; r < rows; r++)
        {
            var row = _inputs.AsSpan(r * _stride, features);
            TensorPrimitives.ConvertTruncating<byte, T>(pixels.Slice(r * features, features), row);
            TensorPrimitives.Multiply<T>(row, _pixelScale, row);
        }
    }

    private ReadOnlySpan<T> Forward(int rows)
    {
        if (_mlp is not null)
            return _mlp.Forward(rows, _inputs.AsSpan(0, rows * _stride), masked: false);

        // logits = [X, 1] Wᵀ, W stored classes × [features, 1]
        var classes = _model.Classes;
        var weight = _model is Perceptron<T> perceptron ? perceptron.Weight : ((LogisticRegression<T>)_model).Weight;
        var logits = _logits.AsSpan(0, rows * classes);
        Gemm.Multiply(GemmLayout.TransposeB, rows, classes, _stride, T.One,
            _inputs.AsSpan(0, rows * _stride), weight.Value, T.Zero, logits, _maxThreads);
        return logits;
    }
}
