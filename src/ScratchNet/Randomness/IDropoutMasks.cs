using System.Numerics;

namespace ScratchNet.Randomness;

/// <summary>
/// Where a training forward pass draws its dropout masks: numpy's stream (the scratch engine's own convention) or
/// libtorch's generator (Dropout's <c>bernoulli_(1 − p)</c>). One call fills the mask of one activation tensor, in
/// element order; each stream defines how an element is drawn.
/// </summary>
public interface IDropoutMasks
{
    /// <summary>Fills <paramref name="mask"/> with 0 (dropped, probability <paramref name="p"/>) or <paramref name="keepScale"/> (kept).</summary>
    void FillDropoutMask<T>(Span<T> mask, double p, T keepScale) where T : unmanaged, IFloatingPointIeee754<T>;
}
