using System.Numerics.Tensors;
using System.Numerics;
using ScratchNet.Tensors.Internals;

namespace ScratchNet.Models;

/// <summary>
/// The network's activation function, chosen by <see cref="Activation"/>: h = f(z) and dz = dh ⊙ f′(z), the derivative written
/// from z (ReLU) or h (tanh). The element-wise kernels themselves are <see cref="Tensors.Activations"/>.
/// </summary>
public static class ActivationFunction
{
    // h = f(z)
    public static void Forward<T>(Activation activation, ReadOnlySpan<T> z, Span<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (activation == Activation.Relu)
            TensorPrimitives.Max(z, T.Zero, h);
        else
            Transcendentals.Tanh(z, h);
    }

    // dz = dh ⊙ f′(z): ReLU′ = [z > 0], tanh′ = 1 − h²   (the vectorised kernels of ScratchNet.Tensors; dz may be dh)
    public static void Backward<T>(Activation activation, ReadOnlySpan<T> z, ReadOnlySpan<T> h, ReadOnlySpan<T> dh, Span<T> dz)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (activation == Activation.Relu)
            Tensors.Activations.ReluBackward(z, dh, dz);
        else
            Tensors.Activations.TanhBackwardFromOutput(h, dh, dz);
    }
}
