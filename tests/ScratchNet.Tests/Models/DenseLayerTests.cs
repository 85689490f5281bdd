using System.Numerics;
using ScratchNet.Models;
using ScratchNet.Tests.Tensors;

namespace ScratchNet.Tests.Models;

/// <summary>The ReLU-gated input gradient against the dense one it shortcuts.</summary>
public sealed class DenseLayerTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(200, 10)]
    [InlineData(37, 13)]
    public void Gated_input_gradient_is_the_dense_one_where_the_gate_is_positive_and_zero_elsewhere(int inputs, int outputs)
    {
        AssertGatedEqualsDense<float>(inputs, outputs);
        AssertGatedEqualsDense<double>(inputs, outputs);
    }

    private static void AssertGatedEqualsDense<T>(int inputs, int outputs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(inputs * 5 + outputs);
        var layer = new DenseLayer<T>(1, inputs, outputs);
        TestData.Random<T>(random, inputs * outputs).CopyTo(layer.Weight.Value, 0);
        T[] dOutput = TestData.Random<T>(random, outputs);
        // gates: positive, negative and exactly zero (a ReLU's derivative there is 0, as in ActivationFunction.Backward)
        T[] gate = TestData.Random<T>(random, inputs, zeroFraction: 0.2);
        var dense = new T[inputs];
        layer.BackwardInput(dOutput, dense);
        var gated = Enumerable.Repeat(T.NaN, inputs).ToArray();
        layer.BackwardInputWherePositive(dOutput, gate, gated);
        for (var j = 0; j < inputs; j++)
            Assert.Equal(gate[j] > T.Zero ? dense[j] : T.Zero, gated[j]);
        Assert.Throws<ArgumentException>(() => layer.BackwardInputWherePositive(dOutput, new T[inputs + 1], gated));
    }
}
