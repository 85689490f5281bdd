using System.Numerics;
using ScratchNet.Models;

namespace ScratchNet.Tests.Models;

/// <summary>The model-level activation backward (what FeedForward calls) against its naive twin, the element loop.</summary>
public class ActivationFunctionTests
{
    [Theory]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Tanh)]
    public void Backward_in_place_equals_the_element_loop_bit_for_bit(Activation activation)
    {
        foreach (int length in new[] { 0, 1, 3, 4, 7, 8, 9, 10, 31, 200 })
        {
            Check<float>(activation, length);
            Check<double>(activation, length);
        }
    }

    private static void Check<T>(Activation activation, int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(length);
        T[] z = Tensors.TestData.Random<T>(random, length, zeroFraction: 0.2), dh = Tensors.TestData.Random<T>(random, length);
        if (length > 3)
            (z[0], z[1], dh[2], z[2], dh[3]) = (T.NaN, T.NegativeZero, T.NegativeZero, T.One, T.NaN);
        T[] h = new T[length];
        ScratchNet.Models.ActivationFunction.Forward<T>(activation, z, h);
        T[] expected = new T[length];
        for (int i = 0; i < length; i++)
            expected[i] = activation == Activation.Relu ? (z[i] > T.Zero ? dh[i] : T.Zero) : dh[i] * (T.One - h[i] * h[i]);
        ScratchNet.Models.ActivationFunction.Backward<T>(activation, z, h, dh, dh);
        Assert.Equal(expected.Select(Bits), dh.Select(Bits));
    }

    private static ulong Bits<T>(T value) where T : IFloatingPointIeee754<T>
        => typeof(T) == typeof(float) ? BitConverter.SingleToUInt32Bits(float.CreateChecked(value)) : BitConverter.DoubleToUInt64Bits(double.CreateChecked(value));
}
