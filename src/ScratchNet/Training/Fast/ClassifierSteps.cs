using System.Numerics;
using ScratchNet.Data;
using ScratchNet.Models;
using ScratchNet.Randomness;

namespace ScratchNet.Training.Fast;

/// <summary>
/// One kind of training step of a classifier, picked once by <see cref="ClassifierLearner{T}"/> from the model and the
/// optimizer: the reference (<see cref="ReferenceStep{T}"/>), the fused per-example SGD or Adam of an MLP, or the
/// batched MLP step. A fused step holds part of its update back between calls (W1 lags one example behind);
/// <see cref="Flush"/> applies it. The learner flushes at one point, its <c>Model</c> accessor, which everything that
/// reads the weights or the optimizer's state goes through, as does every change from one kind of step to another.
/// </summary>
internal interface IClassifierStep
{
    /// <summary>Trains on the examples at <paramref name="indices"/>; returns the sum of their losses (before the update).</summary>
    double Train(ReadOnlySpan<int> indices, IDropoutMasks? dropout);

    /// <summary>Applies any update held back, so the model's weights and the optimizer's state are current.</summary>
    void Flush();
}

/// <summary>
/// The reference twin of every fast step: the model's own Forward and Backward example by example, then its in-place
/// SGD update (a batch of one, plain SGD: the course's path) or the optimizer on the accumulated gradients. Holds
/// nothing back.
/// </summary>
internal sealed class ReferenceStep<T>(IClassifierModel<T> model, Optimizer<T> optimizer, LabeledImages train) : IClassifierStep
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _input = new T[model.Features];

    public double Train(ReadOnlySpan<int> indices, IDropoutMasks? dropout)
    {
        var inPlace = indices.Length == 1 && optimizer.IsPlainSgd;
        var learningRate = T.CreateChecked(optimizer.LearningRate);
        var loss = 0.0;
        foreach (var index in indices)
        {
            LoadPixels(train.Pixels(index), _input);
            loss += double.CreateChecked(model.Forward(_input, train.Label(index), dropout));
            model.Backward();
            if (inPlace)
                model.SgdStep(learningRate);
            else
                model.AccumulateGradients();
        }
        if (!inPlace)
            optimizer.Step(indices.Length);
        return loss;
    }

    public void Flush()
    {
    }

    // x_j = pixel_j / 256 (exact in float32 and float64)
    public static void LoadPixels(ReadOnlySpan<byte> pixels, Span<T> destination)
    {
        var scale = T.CreateChecked(LabeledImages.PixelScale);
        for (var j = 0; j < pixels.Length; j++)
            destination[j] = T.CreateTruncating(pixels[j]) * scale;
    }
}

/// <summary>A batch of one, plain SGD, of an MLP: <see cref="PerExampleMlpSgd{T}"/> (W1's update held back one example).</summary>
internal sealed class PerExampleSgdStep<T>(Mlp<T> model, Optimizer<T> optimizer, LabeledImages train, int threads) : IClassifierStep
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly PerExampleMlpSgd<T> _sgd = new(model, T.CreateChecked(LabeledImages.PixelScale), threads);

    public double Train(ReadOnlySpan<int> indices, IDropoutMasks? dropout)
    {
        var index = Single(indices);
        return double.CreateChecked(_sgd.Step(train.Pixels(index), train.Label(index), T.CreateChecked(optimizer.LearningRate), dropout));
    }

    public void Flush() => _sgd.ApplyPendingUpdate();

    internal static int Single(ReadOnlySpan<int> indices) => indices.Length == 1
        ? indices[0]
        : throw new ArgumentException($"a per-example step takes one example; got {indices.Length}.", nameof(indices));
}

/// <summary>A batch of one, Adam, of an MLP: <see cref="PerExampleMlpAdam{T}"/> (W1's zero-gradient steps replayed lazily;
/// split over two cores when <c>threads</c> ≥ 2).</summary>
internal sealed class PerExampleAdamStep<T>(Mlp<T> model, Optimizer<T> optimizer, LabeledImages train, int threads) : IClassifierStep
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly PerExampleMlpAdam<T> _adam = new(model, optimizer, T.CreateChecked(LabeledImages.PixelScale), threads);

    public double Train(ReadOnlySpan<int> indices, IDropoutMasks? dropout)
    {
        var index = PerExampleSgdStep<T>.Single(indices);
        return double.CreateChecked(_adam.Step(train.Pixels(index), train.Label(index), dropout));
    }

    public void Flush() => _adam.ApplyPendingUpdate();
}

/// <summary>
/// A batch of several examples of an MLP as matrix products (<see cref="BatchedMlpStep{T}"/>, on <c>threads</c>), then
/// the optimizer on the mean gradients. Its buffers are sized by the first batch, the largest of an epoch. Holds
/// nothing back.
/// </summary>
internal sealed class BatchedStep<T>(Mlp<T> model, Optimizer<T> optimizer, LabeledImages train, int threads) : IClassifierStep
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private BatchedMlpStep<T>? _step;

    public double Train(ReadOnlySpan<int> indices, IDropoutMasks? dropout)
    {
        _step ??= new BatchedMlpStep<T>(model, indices.Length, threads);
        var loss = _step.Accumulate(train, indices, dropout);
        optimizer.Step(indices.Length);
        return loss;
    }

    public void Flush()
    {
    }
}
