using System.Numerics.Tensors;
using System.Numerics;
using ScratchNet.Randomness;

namespace ScratchNet.Models;

/// <summary>
/// The layer stack shared by <see cref="Mlp{T}"/> and <see cref="NeuralRegressor{T}"/>:
/// [Linear → activation → Dropout] × hidden layers, then Linear. Buffers per layer l: <c>h[l]</c> its input,
/// <c>z[l]</c> its output, <c>a[l]</c> the activation of a hidden output before dropout, <c>dz[l]</c> the gradient
/// of the loss with respect to <c>z[l]</c>. Dropout is inverted dropout, as PyTorch does it: a unit is kept with
/// probability 1 − p and scaled by 1/(1 − p), so evaluation needs no rescaling.
/// </summary>
public sealed partial class FeedForward<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[][] _h, _z, _a, _dz, _mask;
    private readonly T _keepScale;

    public FeedForward(int inputs, IReadOnlyList<int> hidden, int outputs, Activation activation, double dropout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        if (dropout is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(dropout), $"dropout {dropout} is outside the valid range [0, 1).");
        var sizes = new[] { inputs }.Concat(hidden).Append(outputs).ToArray();
        Layers = Enumerable.Range(0, sizes.Length - 1)
            .Select(l => new DenseLayer<T>(l + 1, sizes[l], sizes[l + 1])).ToArray();
        Parameters = Layers.SelectMany(layer => new[] { layer.Weight, layer.Bias }).ToArray();
        Activation = activation;
        Dropout = dropout;
        _keepScale = T.CreateChecked(1.0 / (1.0 - dropout));
        _h = Layers.Select(layer => new T[layer.In]).ToArray();
        _z = Layers.Select(layer => new T[layer.Out]).ToArray();
        _a = Layers.Select(layer => new T[layer.Out]).ToArray();
        _dz = Layers.Select(layer => new T[layer.Out]).ToArray();
        _mask = Layers.Select(layer => new T[layer.Out]).ToArray();
    }

    public DenseLayer<T>[] Layers { get; }
    public IReadOnlyList<Parameter<T>> Parameters { get; }
    public Activation Activation { get; }
    public double Dropout { get; }
    public int Inputs => Layers[0].In;

    /// <summary>Weights in the course's draw order: layer 0's weight (and bias for torch init), then layer 1's …</summary>
    public void Initialize(InitKind init, NumpyRandomState random)
    {
        foreach (var layer in Layers)
            Initialization.Fill(init, random, layer.Weight, layer.Bias);
    }

    // z[L−1] = f(… f(x W0ᵀ + b0) ⊙ mask0 …) W(L−1)ᵀ + b(L−1)
    public ReadOnlySpan<T> Forward(ReadOnlySpan<T> input, IDropoutMasks? dropout)
    {
        ThrowHelper.IfLengthNot(input.Length, Inputs, nameof(input));
        input.CopyTo(_h[0]);
        Layers[0].Forward(_h[0], _z[0]);
        return ForwardAboveFirstLayer(dropout);
    }

    // the rest of Forward, from z[0] as it stands: each hidden output's activation and dropout, then the next layer
    private ReadOnlySpan<T> ForwardAboveFirstLayer(IDropoutMasks? dropout)
    {
        var last = Layers.Length - 1;
        for (var l = 0; l < last; l++)
        {
            ActivationFunction.Forward<T>(Activation, _z[l], _a[l]);
            if (dropout is null || Dropout == 0)
            {
                _a[l].CopyTo(_h[l + 1], 0);
            }
            else
            {
                dropout.FillDropoutMask<T>(_mask[l], Dropout, _keepScale);
                TensorPrimitives.Multiply<T>(_a[l], _mask[l], _h[l + 1]);
            }
            Layers[l + 1].Forward(_h[l + 1], _z[l + 1]);
        }
        return _z[last];
    }

    // from dz[L−1]: dh = W dz, then through dropout and the activation, down to dz[0]; weights untouched
    public void Backward(ReadOnlySpan<T> dOutput, bool dropoutApplied)
    {
        var last = Layers.Length - 1;
        dOutput.CopyTo(_dz[last]);
        for (var l = last; l > 0; l--)
        {
            var dh = _dz[l - 1]; // reused as scratch: dh, then dz in place
            if (Activation == Activation.Relu)
                Layers[l].BackwardInputWherePositive(_dz[l], _z[l - 1], dh); // the rest is zeroed by ReLU′ anyway
            else
                Layers[l].BackwardInput(_dz[l], dh);
            if (dropoutApplied && Dropout > 0)
                TensorPrimitives.Multiply<T>(dh, _mask[l - 1], dh);
            // ReLU′ is already applied: dh is +0 wherever z ≤ 0 (also after a mask of 0 or 1/(1 − p)), which is
            // exactly what ReLU′ would write, so only tanh has a backward pass left to run
            if (Activation != Activation.Relu)
                ActivationFunction.Backward<T>(Activation, _z[l - 1], _a[l - 1], dh, dh);
        }
    }

    public void SgdStep(T learningRate)
    {
        for (var l = 0; l < Layers.Length; l++)
            Layers[l].SgdStep(_h[l], _dz[l], learningRate);
    }

    public void AccumulateGradients()
    {
        for (var l = 0; l < Layers.Length; l++)
            Layers[l].AccumulateGradients(_h[l], _dz[l]);
    }
}
