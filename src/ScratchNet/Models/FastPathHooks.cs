using System.Numerics.Tensors;
using ScratchNet.Randomness;

// The hooks the fused per-example steps of the fast path (src/ScratchNet/Training/Fast: PerExampleMlpSgd,
// PerExampleMlpAdam) need from the reference model. Those steps compute the first layer's output and its weight
// update themselves and run everything else through the reference, with its operations. The hooks live here, apart,
// so that Mlp.cs, FeedForward.cs and DenseLayer.cs read as the plain reference.

namespace ScratchNet.Models;

// the fast path's hook into the reference classifier
public sealed partial class Mlp<T>
{
    // as Forward, from the first layer's pre-activation the caller wrote into Network.FirstLayerOutput
    public T ForwardFromFirstLayerOutput(int label, IDropoutMasks? dropout)
    {
        _label = label;
        _dropoutApplied = dropout is not null;
        return SoftmaxCrossEntropy.Forward(Network.ForwardFromFirstLayerOutput(dropout), label, _probabilities);
    }
}

// the fast path's hooks into the reference layer stack
public sealed partial class FeedForward<T>
{
    /// <summary>z[0], the first layer's pre-activation, for a caller that computes it itself and then calls
    /// <see cref="ForwardFromFirstLayerOutput"/>.</summary>
    public Span<T> FirstLayerOutput => _z[0];

    /// <summary>dz[0] after <see cref="Backward"/>: the gradient of the loss with respect to the first layer's output.</summary>
    public ReadOnlySpan<T> FirstLayerOutputGradient => _dz[0];

    /// <summary><see cref="Forward"/> from z[0] as the caller wrote it into <see cref="FirstLayerOutput"/>.</summary>
    public ReadOnlySpan<T> ForwardFromFirstLayerOutput(IDropoutMasks? dropout) => ForwardAboveFirstLayer(dropout);

    // SgdStep without the first layer's weight: its bias, then every layer above
    public void SgdStepExceptFirstWeight(T learningRate)
    {
        Layers[0].BiasSgdStep(_dz[0], learningRate);
        for (var l = 1; l < Layers.Length; l++)
            Layers[l].SgdStep(_h[l], _dz[l], learningRate);
    }

    // AccumulateGradients without the first layer's weight: its bias, then every layer above
    public void AccumulateGradientsExceptFirstWeight()
    {
        TensorPrimitives.Add(Layers[0].Bias.Gradient, _dz[0], Layers[0].Bias.Gradient);
        for (var l = 1; l < Layers.Length; l++)
            Layers[l].AccumulateGradients(_h[l], _dz[l]);
    }
}

// the fast path's hook into the reference layer
public sealed partial class DenseLayer<T>
{
    // b −= η dz alone, SgdStep's bias update with its operation (the fused step defers the weight's part)
    public void BiasSgdStep(ReadOnlySpan<T> dOutput, T learningRate)
    {
        ThrowHelper.IfLengthNot(dOutput.Length, Out, nameof(dOutput));
        TensorPrimitives.MultiplyAdd(dOutput, -learningRate, Bias.Value, Bias.Value);
    }
}
