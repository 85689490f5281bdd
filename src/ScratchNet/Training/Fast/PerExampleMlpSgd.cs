using System.Numerics;
using ScratchNet.Models;
using ScratchNet.Randomness;

namespace ScratchNet.Training.Fast;

/// <summary>
/// Per-example plain SGD for an <see cref="Mlp{T}"/> (the course's setting) with each row's first-layer weight update
/// held back until an image lights that row again, then applied in that image's first-layer forward sweep, right
/// before the row's multiply-add (<see cref="DeferredFirstLayer{T}"/>): a row of W1 crosses the memory hierarchy
/// once per image that lights it instead of three times, and rows an image leaves dark are not swept at all.
/// Each example's non-zero pixels are gathered once, straight from the bytes, for its forward pass and its update.
/// Every other part of the step — the biases (b1 before z of the next example starts from it), the layers above,
/// softmax, backward, the dropout draws — runs as <see cref="Mlp{T}"/>'s Forward, Backward and SgdStep do, and
/// every weight receives the same operations in the same order, so the trajectory is bit-identical to theirs.
/// Between steps rows of W1 lag behind their updates: call <see cref="ApplyPendingUpdate"/> before anything reads the weights.
/// With two threads and a first layer of at least <see cref="SplitFirstLayer{T}.MinimumColumns"/> units, the W1
/// sweep runs on two cores, split by hidden columns (<see cref="SplitFirstLayer{T}"/>), with results bit-identical to
/// one thread's; W1 then lives in the split's two blocks between <see cref="ApplyPendingUpdate"/> calls. The halves
/// apply the previous example's update to its rows in the sweep, without deferred rows: on a block half as wide, the
/// bookkeeping both threads would repeat (the waiting rows' slots, the ring) cost about what the skipped rows saved.
/// Whether the split pays depends on the machine (how fast its cores hand cache lines over): a run times its first
/// steps both ways (<see cref="ForkProbe.ForPerExampleSteps"/>) and keeps the faster; switching applies the pending
/// update first, so every way of interleaving the two gives the same bits.
/// </summary>
public sealed class PerExampleMlpSgd<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Mlp<T> _model;
    private readonly DenseLayer<T> _first;
    private readonly T _pixelScale;
    private readonly T[] _pendingGradient;
    private readonly DeferredFirstLayer<T> _layer;
    private readonly SplitFirstLayer<T>? _split;
    private readonly ForkProbe? _probe;
    private readonly bool? _splitSteps;
    private readonly T[] _splitOutput;
    private bool _splitting;

    /// <summary>
    /// Steps <paramref name="model"/> on images whose input is x_j = pixel_j · <paramref name="pixelScale"/>; with
    /// <paramref name="threads"/> ≥ 2 the first layer's sweep may use two cores when it is wide enough (the result does
    /// not depend on it): <paramref name="splitSteps"/> null times which way is faster (<see cref="ForkProbe"/>), true
    /// or false forces it (tests).
    /// </summary>
    public PerExampleMlpSgd(Mlp<T> model, T pixelScale, int threads = 1, bool? splitSteps = null)
        : this(model, pixelScale, threads, splitSteps, probe: null)
    {
    }

    /// <summary>As the public constructor, timing with <paramref name="probe"/> (tests: a short one) when it times.</summary>
    internal PerExampleMlpSgd(Mlp<T> model, T pixelScale, int threads, bool? splitSteps, ForkProbe? probe)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _model = model;
        _first = model.Network.Layers[0];
        _pixelScale = pixelScale;
        _pendingGradient = new T[_first.Out];
        _split = threads >= 2 && SplitFirstLayer<T>.Pays(_first.Out) ? new SplitFirstLayer<T>(_first.In, _first.Out) : null;
        _layer = new DeferredFirstLayer<T>(_first.In, _first.Out, _first.Weight.Value);
        _splitOutput = _split is null ? [] : new T[_first.Out];
        _splitSteps = splitSteps;
        _probe = _split is not null && splitSteps is null ? probe ?? ForkProbe.ForPerExampleSteps() : null;
    }

    /// <summary>True when the first layer's sweep may run on two threads (two threads and a layer wide enough).</summary>
    public bool IsSplit => _split is not null;

    /// <summary>The probe deciding whether steps split, when they may and it was not forced (for tests).</summary>
    internal ForkProbe? Probe => _probe;

    /// <summary>True while the model's W1 is not current: the last step's update is still to be applied (or, split, W1 lives in the blocks).</summary>
    public bool HasPendingUpdate => _layer.HasPending || _split is { Loaded: true };

    /// <summary>One example's forward, backward and in-place SGD update (W1's part deferred); returns its loss.</summary>
    public T Step(ReadOnlySpan<byte> pixels, int label, T learningRate, IDropoutMasks? dropout)
    {
        ThrowHelper.IfLengthNot(pixels.Length, _first.In, nameof(pixels));
        if (_split is not null)
        {
            var split = _splitSteps ?? _probe!.NextStep();
            if (split != _splitting)
            {
                ApplyPendingUpdate(); // W1 current, nothing deferred: the other way starts from it
                _splitting = split;
            }
            if (split)
                return SplitStep(pixels, label, learningRate, dropout);
        }

        // z1 = b1 + Σ x_j W1[j, :], each row lit here brought up to date (its waiting update applied) as it is read;
        // this example's update W1[j, :] += (−η x_j) dz1 waits in the layer until its rows are read again
        var z = _model.Network.FirstLayerOutput;
        _first.Bias.Value.CopyTo(z);
        _layer.Step(pixels, _pixelScale, -learningRate, _pendingGradient, z);

        var loss = _model.ForwardFromFirstLayerOutput(label, dropout);
        _model.Backward();
        _model.Network.SgdStepExceptFirstWeight(learningRate);
        _model.Network.FirstLayerOutputGradient.CopyTo(_pendingGradient);
        return loss;
    }

    // Step with the first layer split over two threads, each keeping its own gather and deferred update
    private T SplitStep(ReadOnlySpan<byte> pixels, int label, T learningRate, IDropoutMasks? dropout)
    {
        var split = _split!;
        if (!split.Loaded)
            split.Load(_first.Weight.Value); // nothing is deferred here: ApplyPendingUpdate stored the blocks after applying it
        _first.Bias.Value.CopyTo(_splitOutput, 0);
        split.Step(pixels, _pixelScale, -learningRate, _pendingGradient, _splitOutput);
        _splitOutput.CopyTo(_model.Network.FirstLayerOutput);

        var loss = _model.ForwardFromFirstLayerOutput(label, dropout);
        _model.Backward();
        _model.Network.SgdStepExceptFirstWeight(learningRate);
        _model.Network.FirstLayerOutputGradient.CopyTo(_pendingGradient);
        return loss;
    }

    /// <summary>Applies the last step's deferred W1 update, so the model's weights are current.</summary>
    public void ApplyPendingUpdate()
    {
        if (_split is { Loaded: true })
        {
            _split.Store(_pendingGradient, _first.Weight.Value);
            return;
        }
        _layer.ApplyAll(_pendingGradient);
    }

    /// <summary>Stops the partner thread of a split first layer (it also exits by itself after a second without work).</summary>
    public void Dispose() => _split?.Dispose();
}
