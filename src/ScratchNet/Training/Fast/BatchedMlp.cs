using System.Numerics;
using System.Numerics.Tensors;
using ScratchNet.Models;
using ScratchNet.Tensors;

namespace ScratchNet.Training.Fast;

/// <summary>
/// The one batched forward and backward of an MLP's layer stack, shared by training (<see cref="BatchedMlpStep{T}"/>)
/// and evaluation (<see cref="BatchedInference{T}"/>). Shapes: N = examples, H[l] (N × In) a layer's input, Z[l]
/// (N × Out) its output, W[l] stored input-major (In × Out). Forward: Z[l] = H[l]·W[l] + b[l], A[l] = f(Z[l]),
/// H[l+1] = A[l] ⊙ mask[l] with dropout (else A[l]). Backward from dZ[last] (the caller's P − Y): dW[l] += H[l]ᵀ·dZ[l],
/// db[l] += Σ_n dZ[l][n, :], dH = dZ[l]·W[l]ᵀ, then dZ[l−1] = f′(Z[l−1]) ⊙ (dH ⊙ mask[l−1]). The reference twin is
/// <see cref="FeedForward{T}"/>'s Forward and Backward, one example at a time. A caller with its own first-layer kernel
/// (the non-zero pixels in compressed rows) writes Z[0] and dW[0] itself, between <see cref="StartFirstLayer"/> and
/// <see cref="ForwardFromFirstLayerOutput"/>, and after <see cref="BackwardExceptFirstWeight"/>; each array receives
/// the same operations in the same order either way. Buffers hold <see cref="Capacity"/> examples (grown once by
/// <see cref="EnsureCapacity"/>); the GEMM is deterministic whatever the thread count, so no result depends on
/// <c>maxThreads</c>.
/// </summary>
internal sealed class BatchedMlp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly FeedForward<T> _network;
    private readonly DenseLayer<T>[] _layers;
    private readonly bool _training;
    private T[][] _z = [], _a = [], _h = [], _mask = [], _dz = [];

    /// <summary>Buffers for <paramref name="capacity"/> examples; <paramref name="training"/> false for evaluation (no
    /// gradient or dropout buffers).</summary>
    public BatchedMlp(FeedForward<T> network, int capacity, int maxThreads, bool training)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxThreads, 1);
        _network = network;
        _layers = network.Layers;
        MaxThreads = maxThreads;
        _training = training;
        Allocate(capacity);
    }

    /// <summary>Threads each GEMM may use (≥ 1); a caller that runs several of these at once sets 1.</summary>
    public int MaxThreads
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    }

    /// <summary>The most examples the buffers hold now.</summary>
    public int Capacity { get; private set; }

    /// <summary>Grows the buffers to <paramref name="n"/> examples if they are smaller.</summary>
    public void EnsureCapacity(int n)
    {
        if (n > Capacity)
            Allocate(n);
    }

    /// <summary>The logits Z[last] (n × K) of X (n × D, row-major): the whole forward pass, first layer by GEMM.</summary>
    public ReadOnlySpan<T> Forward(int n, ReadOnlySpan<T> x, bool masked)
    {
        var first = _layers[0];
        Gemm.Multiply(GemmLayout.Normal, n, first.Out, first.In, T.One, x, first.Weight.Value, T.One, StartFirstLayer(n), MaxThreads);
        return ForwardFromFirstLayerOutput(n, masked);
    }

    /// <summary>Z[0] (n × Out) with b[0] in every row, for the caller to add X·W[0] to.</summary>
    public Span<T> StartFirstLayer(int n) => BiasRows(0, n);

    /// <summary>The rest of <see cref="Forward"/> from Z[0] as it stands; <paramref name="masked"/>: apply the masks
    /// the caller drew into <see cref="DropoutMask"/>.</summary>
    public ReadOnlySpan<T> ForwardFromFirstLayerOutput(int n, bool masked)
    {
        var last = _layers.Length - 1;
        for (var l = 0; l < last; l++)
        {
            var width = _layers[l].Out;
            var a = _a[l].AsSpan(0, n * width);
            Models.ActivationFunction.Forward<T>(_network.Activation, _z[l].AsSpan(0, n * width), a);
            if (masked)
                TensorPrimitives.Multiply<T>(a, _mask[l].AsSpan(0, n * width), _h[l + 1].AsSpan(0, n * width));
            var layer = _layers[l + 1];
            Gemm.Multiply(GemmLayout.Normal, n, layer.Out, layer.In, T.One, Input(l + 1, n, masked), layer.Weight.Value, T.One,
                BiasRows(l + 1, n), MaxThreads);
        }
        return _z[last].AsSpan(0, n * _layers[last].Out);
    }

    /// <summary>dZ[last] (n × K): the caller writes the loss gradient of the logits here before the backward pass.</summary>
    public Span<T> LogitsGradient(int n) => _dz[^1].AsSpan(0, n * _layers[^1].Out);

    /// <summary>Hidden layer <paramref name="l"/>'s dropout mask (n × Out), for the caller to draw.</summary>
    public Span<T> DropoutMask(int l, int n) => _mask[l].AsSpan(0, n * _layers[l].Out);

    /// <summary>dZ[0] (n × Out) after the backward pass.</summary>
    public ReadOnlySpan<T> FirstLayerOutputGradient(int n) => _dz[0].AsSpan(0, n * _layers[0].Out);

    /// <summary>The whole backward pass, dW[0] += Xᵀ·dZ[0] by GEMM (X as given to <see cref="Forward"/>).</summary>
    public void Backward(int n, ReadOnlySpan<T> x, bool masked)
    {
        BackwardExceptFirstWeight(n, masked);
        var first = _layers[0];
        Gemm.Multiply(GemmLayout.TransposeA, first.In, first.Out, n, T.One, x, FirstLayerOutputGradient(n), T.One, first.Weight.Gradient, MaxThreads);
    }

    // dW[l] += H[l]ᵀ·dZ[l] (l ≥ 1);  db[l] += Σ_n dZ[l][n, :];  dH = dZ[l]·W[l]ᵀ;  dZ[l−1] = f′(Z[l−1]) ⊙ (dH ⊙ mask[l−1])
    /// <summary>Every gradient but dW[0], which the caller adds from <see cref="FirstLayerOutputGradient"/>.</summary>
    public void BackwardExceptFirstWeight(int n, bool masked)
    {
        if (!_training)
            throw new InvalidOperationException("an evaluation-only BatchedMlp has no gradient buffers.");
        for (var l = _layers.Length - 1; l >= 0; l--)
        {
            var layer = _layers[l];
            var dz = _dz[l].AsSpan(0, n * layer.Out);
            if (l > 0)
                Gemm.Multiply(GemmLayout.TransposeA, layer.In, layer.Out, n, T.One, Input(l, n, masked), dz, T.One, layer.Weight.Gradient, MaxThreads);
            for (var r = 0; r < n; r++)
                TensorPrimitives.Add(layer.Bias.Gradient, dz.Slice(r * layer.Out, layer.Out), layer.Bias.Gradient);
            if (l == 0)
                break;

            var dh = _dz[l - 1].AsSpan(0, n * layer.In);
            Gemm.Multiply(GemmLayout.TransposeB, n, layer.In, layer.Out, T.One, dz, layer.Weight.Value, T.Zero, dh, MaxThreads);
            if (masked)
                TensorPrimitives.Multiply<T>(dh, _mask[l - 1].AsSpan(0, n * layer.In), dh);
            Models.ActivationFunction.Backward<T>(_network.Activation, _z[l - 1].AsSpan(0, n * layer.In), _a[l - 1].AsSpan(0, n * layer.In), dh, dh);
        }
    }

    // Z[l] (n × Out) with b[l] copied into every row
    private Span<T> BiasRows(int l, int n)
    {
        var layer = _layers[l];
        var z = _z[l].AsSpan(0, n * layer.Out);
        for (var r = 0; r < n; r++)
            layer.Bias.Value.AsSpan().CopyTo(z.Slice(r * layer.Out, layer.Out));
        return z;
    }

    // H[l] (n × In) for l ≥ 1: the previous layer's output after dropout
    private ReadOnlySpan<T> Input(int l, int n, bool masked) => (masked ? _h[l] : _a[l - 1]).AsSpan(0, n * _layers[l].In);

    private void Allocate(int batch)
    {
        var hidden = _layers.Length - 1;
        var dropout = _training && _network.Dropout > 0;
        _z = _layers.Select(layer => new T[batch * layer.Out]).ToArray();
        _a = _layers.Select((layer, l) => l < hidden ? new T[batch * layer.Out] : []).ToArray();
        _dz = _layers.Select(layer => _training ? new T[batch * layer.Out] : []).ToArray();
        _mask = _layers.Select((layer, l) => l < hidden && dropout ? new T[batch * layer.Out] : []).ToArray();
        // H[l] for l ≥ 1 is A[l−1] ⊙ mask[l−1] with dropout; without it the layers read A[l−1] directly
        _h = _layers.Select((layer, l) => l > 0 && dropout ? new T[batch * layer.In] : []).ToArray();
        Capacity = batch;
    }
}
