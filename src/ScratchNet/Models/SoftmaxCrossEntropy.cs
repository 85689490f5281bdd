using System.Numerics.Tensors;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    [SkipLocalsInit]
    public static T Forward<T>(ReadOnlySpan<T> logits, int label, Span<T> probabilities)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.IfLengthNot(probabilities.Length, logits.Length, nameof(probabilities));
        ThrowHelper.IfOutOfRange(label, logits.Length);
        var max = TensorPrimitives.Max(logits);
        int n = logits.Length, lanes = CanonicalReduction.Lanes<T>(), padded = (n + lanes - 1) / lanes * lanes;
        // up to 32 classes: exp over whole blocks of a zero-padded buffer on the stack, and the canonical sum reads
        // its partial block in place (the same values and the same order as the general path below)
        Span<T> shifted = padded <= 32 ? stackalloc T[32] : probabilities;
        if (padded > 32)
            padded = n;
        TensorPrimitives.Subtract(logits, max, shifted[..n]);
        shifted[n..padded].Clear();
        var shiftedLabel = shifted[label];
        Transcendentals.Exp<T>(shifted[..padded], shifted[..padded]);
        var sum = padded == n ? CanonicalReduction.Sum<T>(shifted[..n])
            : CanonicalReduction.SumReadingPast(ref MemoryMarshal.GetReference(shifted), n);
        TensorPrimitives.Divide(shifted[..n], sum, probabilities);
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
