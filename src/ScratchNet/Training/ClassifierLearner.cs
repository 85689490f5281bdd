using System.Numerics;
using ScratchNet.Data;
using ScratchNet.IO;
using ScratchNet.Models;
using ScratchNet.Randomness;
using ScratchNet.Training.Fast;
using ScratchNet.Runs;

namespace ScratchNet.Training;

/// <summary>
/// Trains a classifier on images: pixels are read as byte × 1/256 (no float copy of the data set). The kind of step is
/// picked once, from the model and the optimizer (<see cref="IClassifierStep"/>, docs in <c>Training/Fast/README.md</c>):
/// a batch of one runs the fused per-example SGD or Adam of an MLP (<see cref="PerExampleMlpSgd{T}"/>,
/// <see cref="PerExampleMlpAdam{T}"/>; either splits its first layer over two cores when <c>threads</c> ≥ 2), a larger
/// batch of an MLP runs as whole-batch matrix products (<see cref="BatchedMlpStep{T}"/>), anything else the model's own
/// Forward, Backward and update (<see cref="ReferenceStep{T}"/>). The fused steps hold W1's last update back; <see cref="Model"/> applies it,
/// and everything here that reads the weights reads them through it.
/// </summary>
public sealed class ClassifierLearner<T> : IClassifierLearner where T : unmanaged, IFloatingPointIeee754<T>
{
    // read the weights only through Model: a fused step may hold part of its last update back
    private readonly IClassifierModel<T> _unflushedModel;
    private readonly Optimizer<T> _optimizer;
    private readonly LabeledImages _train, _dev, _test;
    private readonly bool _evaluateTrain;
    private readonly uint _dropoutSeed;
    private readonly bool _usesDropout;
    private readonly T[] _input;
    private readonly BatchedInference<T>? _batched;
    private readonly IClassifierStep _perExample, _batch;
    private IClassifierStep _active;
    private readonly IDropoutMasks? _sharedDropout;
    private IDropoutMasks? _dropout;

    public ClassifierLearner(IClassifierModel<T> model, Optimizer<T> optimizer, LabeledImages train, LabeledImages dev,
        LabeledImages test, bool evaluateTrain, uint dropoutSeed, int threads = 1, IDropoutMasks? sharedDropout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (train.Features != model.Features)
            throw new ArgumentException($"the model takes {model.Features} features; the data has {train.Features}.", nameof(train));
        (_unflushedModel, _optimizer, _train, _dev, _test) = (model, optimizer, train, dev, test);
        _evaluateTrain = evaluateTrain;
        _dropoutSeed = dropoutSeed;
        _sharedDropout = sharedDropout;
        _usesDropout = model is Mlp<T> { Network.Dropout: > 0 };
        _input = new T[model.Features];
        var reference = new ReferenceStep<T>(model, optimizer, train);
        _perExample = model switch
        {
            Mlp<T> mlp when optimizer.IsPlainSgd => new PerExampleSgdStep<T>(mlp, optimizer, train, threads),
            Mlp<T> mlp when optimizer.Kind == OptimizerKind.Adam => new PerExampleAdamStep<T>(mlp, optimizer, train, threads),
            _ => reference,
        };
        _batch = model is Mlp<T> batchedMlp ? new BatchedStep<T>(batchedMlp, optimizer, train, threads) : reference;
        _active = _perExample;
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

    /// <summary>A batch of one takes the per-example step, a larger one the batched step (the same for all but an MLP).</summary>
    public double TrainBatch(ReadOnlySpan<int> indices)
    {
        var step = indices.Length == 1 ? _perExample : _batch;
        if (step != _active)
        {
            _ = Model; // the step that ran last applies what it held back
            _active = step;
        }
        return step.Train(indices, _dropout);
    }

    /// <summary>
    /// The model with every update applied: the step that ran last flushes what it held back. The learner reads the
    /// weights (evaluation, prediction, checkpoints) only through here; read the model through here too.
    /// </summary>
    public IClassifierModel<T> Model
    {
        get
        {
            _active.Flush();
            return _unflushedModel;
        }
    }

    public EpochMetrics Evaluate(int epoch) =>
        new()
        {
            Epoch = epoch,
            TrainAccuracy = _evaluateTrain ? Accuracy(_train) : null,
            DevAccuracy = Accuracy(_dev),
            TestAccuracy = Accuracy(_test),
        };

    /// <summary>
    /// The predicted class of every example (for test_predictions.csv and the accuracies): batched through GEMM for
    /// the course's classifiers, else one example at a time (<see cref="PredictOneByOne"/>, the reference twin).
    /// </summary>
    public int[] Predict(LabeledImages examples)
    {
        _ = Model; // _batched reads the model's weights
        if (_batched is null)
            return PredictOneByOne(examples);
        var predicted = new int[examples.Count];
        _batched.Predict(examples.AllPixels, predicted);
        return predicted;
    }

    /// <summary>The per-example path: the model's own <see cref="IClassifierModel{T}.Predict"/> on each example.</summary>
    public int[] PredictOneByOne(LabeledImages examples)
    {
        var model = Model;
        var predicted = new int[examples.Count];
        for (var i = 0; i < examples.Count; i++)
        {
            ReferenceStep<T>.LoadPixels(examples.Pixels(i), _input);
            predicted[i] = model.Predict(_input);
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

    public IReadOnlyList<SafeTensor> Weights() => ModelState.Export(Model.Parameters);

    // Model first: Adam's moments are held back with W1
    public IReadOnlyList<SafeTensor> SaveState() => LearnerState.Save(Model.Parameters, _optimizer);

    public void LoadState(IReadOnlyList<SafeTensor> tensors, string source) => LearnerState.Load(Model.Parameters, _optimizer, tensors, source);
}
