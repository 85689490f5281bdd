using System.Numerics;
using ScratchNet.Randomness;

namespace ScratchNet.Models;

/// <summary>How a model's weights start.</summary>
public enum WeightInit
{
    /// <summary>All zeros (the course's linear models).</summary>
    Zeros,
    /// <summary>The course's weights ~ N(μ = 0.1, σ = 0.1) from numpy's stream, W1 then W2 …, biases 0.</summary>
    Course,
    /// <summary>
    /// PyTorch's default <c>nn.Linear</c> init: weights and biases ~ U(−1/√fan_in, 1/√fan_in). Drawn from the
    /// numpy-compatible stream (weights in (out, in) C order, then the bias), not from torch's generator.
    /// </summary>
    Torch,
}

/// <summary>Fills weight matrices in the course's draw order, whatever their memory layout.</summary>
public static class Initialization
{
    public static WeightInit Parse(string text) => text.ToLowerInvariant() switch
    {
        "zeros" => WeightInit.Zeros,
        "course" or "normal" => WeightInit.Course,
        "torch" or "kaiming" => WeightInit.Torch,
        _ => throw new UsageException($"--init: unknown '{text}'; expected zeros, course or torch."),
    };

    /// <summary>
    /// Draws the weight (logical shape out × in, drawn in C order like <c>normal(size=(out, in))</c>) and then,
    /// for <see cref="WeightInit.Torch"/> only, the bias. Course biases stay 0.
    /// </summary>
    public static void Fill<T>(WeightInit init, NumpyRandomState random, Parameter<T> weight, Parameter<T> bias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var outputs = weight.Shape[0];
        var inputs = weight.Shape[1];
        Array.Clear(weight.Value);
        Array.Clear(bias.Value);
        if (init == WeightInit.Zeros)
            return;
        var bound = 1.0 / Math.Sqrt(inputs);
        for (var o = 0; o < outputs; o++)
        {
            for (var i = 0; i < inputs; i++)
            {
                var draw = init == WeightInit.Course
                    ? random.Normal(0.1, 0.1)
                    : -bound + 2 * bound * random.NextDouble();
                var index = weight.Layout == ParameterLayout.InputMajor ? i * outputs + o : o * inputs + i;
                weight.Value[index] = T.CreateChecked(draw);
            }
        }
        if (init == WeightInit.Torch)
        {
            for (var o = 0; o < outputs; o++)
                bias.Value[o] = T.CreateChecked(-bound + 2 * bound * random.NextDouble());
        }
    }
}
