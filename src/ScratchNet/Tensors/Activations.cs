using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using ScratchNet.Tensors.Internals;

namespace ScratchNet.Tensors;

/// <summary>
/// Element-wise activations and their backward passes. The forward passes are single TensorPrimitives calls
/// (ReLU: <c>TensorPrimitives.Max(z, T.Zero, a)</c>; tanh: ScratchNet's own, the same bits on every machine) and are kept here only so
/// each backward sits beside its forward. The backward passes are fused: one read of each input, one write.
/// Destinations may alias an input exactly (in place) but not partly.
/// </summary>
public static class Activations
{
    /// <summary>a = max(z, 0).</summary>
    public static void Relu<T>(ReadOnlySpan<T> z, Span<T> a) where T : unmanaged, IFloatingPointIeee754<T>
        => TensorPrimitives.Max(z, T.Zero, a);

    /// <summary>dz = da where the activation was positive, else 0. Works from the pre-activation z or the output
    /// a = relu(z) alike, since z &gt; 0 ⇔ a &gt; 0. The derivative at exactly 0 is taken as 0.</summary>
    public static void ReluBackward<T>(ReadOnlySpan<T> zOrA, ReadOnlySpan<T> da, Span<T> dz)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.IfLengthNot(da.Length, zOrA.Length, nameof(da));
        ThrowHelper.IfLengthNot(dz.Length, zOrA.Length, nameof(dz));
        ThrowHelper.IfPartialOverlap(zOrA, dz, nameof(zOrA));
        ThrowHelper.IfPartialOverlap(da, dz, nameof(da));
        int i = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            for (; i <= zOrA.Length - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                Vector256<T> positive = Vector256.GreaterThan(Vector256.Create(zOrA[i..]), Vector256<T>.Zero);
                (Vector256.Create(da[i..]) & positive).CopyTo(dz[i..]);
            }
        }
        for (; i < zOrA.Length; i++)
            dz[i] = zOrA[i] > T.Zero ? da[i] : T.Zero;
    }

    /// <summary>a = tanh(z).</summary>
    public static void Tanh<T>(ReadOnlySpan<T> z, Span<T> a) where T : unmanaged, IFloatingPointIeee754<T>
        => Transcendentals.Tanh(z, a);

    /// <summary>dz = da·(1 − a²) from the output a = tanh(z) (cheaper and exact, no second tanh).</summary>
    public static void TanhBackwardFromOutput<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.IfLengthNot(da.Length, a.Length, nameof(da));
        ThrowHelper.IfLengthNot(dz.Length, a.Length, nameof(dz));
        ThrowHelper.IfPartialOverlap(a, dz, nameof(a));
        ThrowHelper.IfPartialOverlap(da, dz, nameof(da));
        int i = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            for (; i <= a.Length - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                Vector256<T> output = Vector256.Create(a[i..]);
                (Vector256.Create(da[i..]) * (Vector256<T>.One - output * output)).CopyTo(dz[i..]);
            }
        }
        for (; i < a.Length; i++)
            dz[i] = da[i] * (T.One - a[i] * a[i]);
    }

    /// <summary>dz = da·(1 − tanh²(z)) from the pre-activation z (when the output was not kept).</summary>
    public static void TanhBackwardFromInput<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> da, Span<T> dz)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.IfLengthNot(da.Length, z.Length, nameof(da));
        ThrowHelper.IfLengthNot(dz.Length, z.Length, nameof(dz));
        ThrowHelper.IfPartialOverlap(da, dz, nameof(da));
        ThrowHelper.IfPartialOverlap(z, dz, nameof(z));
        for (int i = 0; i < z.Length; i++)
        {
            T t = Transcendentals.Tanh(z[i]);
            dz[i] = da[i] * (T.One - t * t);
        }
    }
}
