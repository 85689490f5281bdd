using System.Numerics;
using ScratchNet.Randomness;

namespace ScratchNet.Models;

/// <summary>
/// Fills weight matrices in the course's draw order, whatever their memory layout: <see cref="InitKind.Course"/> draws
/// N(0.1, 0.1) per weight in (out, in) C order, layer after layer, biases 0; <see cref="InitKind.Torch"/> draws PyTorch's
/// default nn.Linear init U(−1/√fan_in, 1/√fan_in), the weight then the bias of each layer, from the same
/// numpy-compatible stream (torch's own generator is not reproduced).
/// </summary>
public static class Initialization
{
    /// <summary>
    /// Draws the weight (logical shape out × in, drawn in C order like <c>normal(size=(out, in))</c>) and then,
    /// for <see cref="InitKind.Torch"/> only, the bias. Course biases stay 0.
    /// </summary>
    public static void Fill<T>(InitKind init, NumpyRandomState random, Parameter<T> weight, Parameter<T> bias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var outputs = weight.Shape[0];
        var inputs = weight.Shape[1];
        Array.Clear(weight.Value);
        Array.Clear(bias.Value);
        if (init == InitKind.Zeros)
            return;
        var bound = 1.0 / Math.Sqrt(inputs);
        for (var o = 0; o < outputs; o++)
        {
            for (var i = 0; i < inputs; i++)
            {
                var draw = init == InitKind.Course
                    ? random.Normal(0.1, 0.1)
                    : -bound + 2 * bound * random.NextDouble();
                var index = weight.Layout == ParameterLayout.InputMajor ? i * outputs + o : o * inputs + i;
                weight.Value[index] = T.CreateChecked(draw);
            }
        }
        if (init == InitKind.Torch)
        {
            for (var o = 0; o < outputs; o++)
                bias.Value[o] = T.CreateChecked(-bound + 2 * bound * random.NextDouble());
        }
    }
}
