using System.Numerics.Tensors;
using System.Numerics;
using ScratchNet.Tensors.Internals;

namespace ScratchNet.Models;

/// <summary>
/// The classifiers' loss: softmax of the logits and its cross-entropy with the label, with the maximum subtracted first
/// so exp never overflows; backward gives the gradient with respect to the logits. exp, the sum and log are
/// ScratchNet's own (the same bits on every machine, docs/kernels.md).
/// </summary>
public static class SoftmaxCrossEntropy
{
    // p = exp(z − max z) / Σ exp(z − max z);  returns the cross-entropy −log p_label = log Σ exp(z − max) − (z_label − max)
    public static T Forward<T>(ReadOnlySpan<T> logits, int label, Span<T> probabilities)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.IfLengthNot(probabilities.Length, logits.Length, nameof(probabilities));
        ThrowHelper.IfOutOfRange(label, logits.Length);
        var max = TensorPrimitives.Max(logits);
        TensorPrimitives.Subtract(logits, max, probabilities);
        var shiftedLabel = probabilities[label];
        Transcendentals.Exp<T>(probabilities, probabilities);
        var sum = CanonicalReduction.Sum<T>(probabilities);
        TensorPrimitives.Divide(probabilities, sum, probabilities);
        return Transcendentals.Log(sum) - shiftedLabel;
    }

    // dz = p − e_label   (the gradient of the cross-entropy with respect to the logits)
    public static void Backward<T>(ReadOnlySpan<T> probabilities, int label, Span<T> dLogits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        probabilities.CopyTo(dLogits);
        dLogits[label] -= T.One;
    }
}
