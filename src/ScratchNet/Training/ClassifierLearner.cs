using System.Numerics;
using ScratchNet.Data;
using ScratchNet.IO;
using ScratchNet.Models;
using ScratchNet.Randomness;

namespace ScratchNet.Training;

/// <summary>
/// Trains a classifier on images: pixels are read as byte × 1/256 into one reused buffer (no float copy of the data
/// set). Per-example plain SGD uses the model's in-place update (the course's path) — for an MLP the fused
/// <see cref="PerExampleMlpSgd{T}"/> (its first layer split over two cores when <c>threads</c> ≥ 2), whose deferred
/// first-layer update every method that reads the weights applies first; a batch of several examples of an <see cref="Mlp{T}"/> runs as whole-batch matrix products
/// (<see cref="BatchedMlpStep{T}"/>, on <c>threads</c>); anything else accumulates the batch's gradients example by
/// example. Then the <see cref="Optimizer{T}"/> applies their mean. Per-example Adam on an MLP replays W1's
/// zero-gradient steps lazily (<see cref="PerExampleMlpAdam{T}"/>), flushed by the same pending-update mechanism.
/// </summary>
public sealed class ClassifierLearner<T> : IClassifierLearner where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IClassifierModel<T> _model;
    private readonly Optimizer<T> _optimizer;
    private readonly LabeledImages _train, _dev, _test;
    private readonly bool _evaluateTrain;
    private readonly uint _dropoutSeed;
    private readonly bool _usesDropout;
    private readonly T[] _input;
    private readonly BatchedInference<T>? _batched;
    private readonly int _threads;
    private readonly PerExampleMlpSgd<T>? _perExampleMlp;
    private readonly PerExampleMlpAdam<T>? _perExampleAdam;
    private BatchedMlpStep<T>? _batchedStep;
    private readonly IDropoutMasks? _sharedDropout;
    private IDropoutMasks? _dropout;

    public ClassifierLearner(IClassifierModel<T> model, Optimizer<T> optimizer, LabeledImages train, LabeledImages dev,
        LabeledImages test, bool evaluateTrain, uint dropoutSeed, int threads = 1, IDropoutMasks? sharedDropout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (train.Features != model.Features)
            throw new ArgumentException($"the model takes {model.Features} features; the data has {train.Features}.", nameof(train));
        (_model, _optimizer, _train, _dev, _test) = (model, optimizer, train, dev, test);
        _evaluateTrain = evaluateTrain;
        _dropoutSeed = dropoutSeed;
        _sharedDropout = sharedDropout;
        _usesDropout = model is Mlp<T> { Network.Dropout: > 0 };
        _input = new T[model.Features];
        _threads = threads;
        _perExampleMlp = model is Mlp<T> mlp ? new PerExampleMlpSgd<T>(mlp, T.CreateChecked(LabeledImages.PixelScale), threads) : null;
        _perExampleAdam = model is Mlp<T> adamMlp && optimizer.Kind == OptimizerKind.Adam
            ? new PerExampleMlpAdam<T>(adamMlp, optimizer, T.CreateChecked(LabeledImages.PixelScale)) : null;
        // evaluation follows the run's thread count, like training (its result does not depend on it)
        _batched = BatchedInference<T>.Supports(model) ? new BatchedInference<T>(model, T.CreateChecked(LabeledImages.PixelScale), maxThreads: threads) : null;
    }

    public int TrainingCount => _train.Count;

    public LabeledImages TestSet => _test;

    /// <summary>
    /// On numpy's stream, dropout masks come from their own numpy-compatible stream, re-seeded each epoch from
    /// (seed, epoch), so a resumed run draws the same masks without replaying earlier epochs. With a shared stream
    /// (libtorch's global generator, which also draws the epoch orders) every mask comes from it, as libtorch's
    /// Dropout draws them.
    /// </summary>
    public void BeginEpoch(int epoch) =>
        _dropout = !_usesDropout ? null : _sharedDropout ?? new NumpyRandomState(unchecked(_dropoutSeed * 1_000_003u + (uint)epoch));

    public double TrainBatch(ReadOnlySpan<int> indices)
    {
        if (indices.Length > 1 && _model is Mlp<T> mlp)
            return TrainMlpBatch(mlp, indices);
        var inPlace = indices.Length == 1 && _optimizer.IsPlainSgd;
        var learningRate = T.CreateChecked(_optimizer.LearningRate);
        if (inPlace && _perExampleMlp is not null)
            return double.CreateChecked(_perExampleMlp.Step(_train.Pixels(indices[0]), _train.Label(indices[0]), learningRate, _dropout));
        if (indices.Length == 1 && _perExampleAdam is not null)
            return double.CreateChecked(_perExampleAdam.Step(_train.Pixels(indices[0]), _train.Label(indices[0]), _dropout));
        ApplyPendingUpdate();
        var loss = 0.0;
        foreach (var index in indices)
        {
            LoadPixels(_train.Pixels(index), _input);
            loss += double.CreateChecked(_model.Forward(_input, _train.Label(index), _dropout));
            _model.Backward();
            if (inPlace)
                _model.SgdStep(learningRate);
            else
                _model.AccumulateGradients();
        }
        if (!inPlace)
            _optimizer.Step(indices.Length);
        return loss;
    }

    // The whole batch as matrix products (BatchedMlpStep), then the optimizer on the mean gradients; its buffers are
    // sized by the first batch, the largest of an epoch.
    private double TrainMlpBatch(Mlp<T> mlp, ReadOnlySpan<int> indices)
    {
        ApplyPendingUpdate();
        _batchedStep ??= new BatchedMlpStep<T>(mlp, indices.Length, _threads);
        var loss = _batchedStep.Accumulate(_train, indices, _dropout);
        _optimizer.Step(indices.Length);
        return loss;
    }

    /// <summary>
    /// Applies the fused per-example path's deferred first-layer update, so the model's own weights are current. Every
    /// method of the learner that reads the weights does this itself; call it before reading the model directly.
    /// </summary>
    public void ApplyPendingUpdate()
    {
        _perExampleMlp?.ApplyPendingUpdate();
        _perExampleAdam?.ApplyPendingUpdate();
    }

    public EpochMetrics Evaluate(int epoch)
    {
        ApplyPendingUpdate();
        return new()
        {
            Epoch = epoch,
            TrainAccuracy = _evaluateTrain ? Accuracy(_train) : null,
            DevAccuracy = Accuracy(_dev),
            TestAccuracy = Accuracy(_test),
        };
    }

    /// <summary>
    /// The predicted class of every example (for test_predictions.csv and the accuracies): batched through GEMM for
    /// the course's classifiers, else one example at a time (<see cref="PredictOneByOne"/>, the reference twin).
    /// </summary>
    public int[] Predict(LabeledImages examples)
    {
        ApplyPendingUpdate();
        if (_batched is null)
            return PredictOneByOne(examples);
        var predicted = new int[examples.Count];
        _batched.Predict(examples.AllPixels, predicted);
        return predicted;
    }

    /// <summary>The per-example path: the model's own <see cref="IClassifierModel{T}.Predict"/> on each example.</summary>
    public int[] PredictOneByOne(LabeledImages examples)
    {
        ApplyPendingUpdate();
        var predicted = new int[examples.Count];
        for (var i = 0; i < examples.Count; i++)
        {
            LoadPixels(examples.Pixels(i), _input);
            predicted[i] = _model.Predict(_input);
        }
        return predicted;
    }

    public double Accuracy(LabeledImages examples)
    {
        if (examples.Count == 0)
            return double.NaN;
        var predicted = Predict(examples);
        var labels = examples.Labels;
        var correct = 0;
        for (var i = 0; i < predicted.Length; i++)
        {
            if (predicted[i] == labels[i])
                correct++;
        }
        return (double)correct / examples.Count;
    }

    public IReadOnlyList<SafeTensor> Weights()
    {
        ApplyPendingUpdate();
        return ModelState.Export(_model.Parameters);
    }

    public IReadOnlyList<SafeTensor> SaveState()
    {
        ApplyPendingUpdate();
        return LearnerState.Save(_model.Parameters, _optimizer);
    }

    public void LoadState(IReadOnlyList<SafeTensor> tensors, string source)
    {
        ApplyPendingUpdate();
        LearnerState.Load(_model.Parameters, _optimizer, tensors, source);
    }

    // x_j = pixel_j / 256 (exact in float32 and float64)
    private static void LoadPixels(ReadOnlySpan<byte> pixels, Span<T> destination)
    {
        var scale = T.CreateChecked(LabeledImages.PixelScale);
        for (var j = 0; j < pixels.Length; j++)
            destination[j] = T.CreateTruncating(pixels[j]) * scale;
    }
}
