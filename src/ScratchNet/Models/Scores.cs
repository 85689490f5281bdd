using System.Numerics;

namespace ScratchNet.Models;

/// <summary>What a classifier predicts from its class scores (logits, or the perceptron's scores).</summary>
public static class Scores
{
    /// <summary>The first index of the largest value, as numpy's argmax breaks ties.</summary>
    public static int ArgMax<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
                best = i;
        }
        return best;
    }
}
