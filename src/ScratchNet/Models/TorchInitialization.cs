using System.Numerics;
using ScratchNet.Randomness;

namespace ScratchNet.Models;

/// <summary>
/// PyTorch's default nn.Linear init drawn from libtorch's generator (<see cref="TorchGenerator.LinearInit"/>): per layer,
/// the weight [out, in] in row-major order, then the bias, as float32 values (converted to the model's precision).
/// </summary>
public static class TorchInitialization
{
    /// <summary>Every layer of the stack, first to last, as nn.Sequential builds its nn.Linear modules.</summary>
    public static void Fill<T>(TorchGenerator generator, FeedForward<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var layer in network.Layers)
        {
            var (weight, bias) = Draw(generator, layer.Out, layer.In);
            for (var o = 0; o < layer.Out; o++)
            {
                for (var i = 0; i < layer.In; i++)
                {
                    var index = layer.Weight.Layout == ParameterLayout.InputMajor ? i * layer.Out + o : o * layer.In + i;
                    layer.Weight.Value[index] = T.CreateChecked(weight[o * layer.In + i]);
                }
                layer.Bias.Value[o] = T.CreateChecked(bias[o]);
            }
        }
    }

    /// <summary>One nn.Linear(in, out) into a single matrix [out, in + 1] whose last column is the bias.</summary>
    public static void FillWithBiasColumn<T>(TorchGenerator generator, Parameter<T> weightWithBias) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var outputs = weightWithBias.Shape[0];
        var inputs = weightWithBias.Shape[1] - 1;
        var (weight, bias) = Draw(generator, outputs, inputs);
        for (var o = 0; o < outputs; o++)
        {
            for (var i = 0; i < inputs; i++)
                weightWithBias.Value[o * (inputs + 1) + i] = T.CreateChecked(weight[o * inputs + i]);
            weightWithBias.Value[o * (inputs + 1) + inputs] = T.CreateChecked(bias[o]);
        }
    }

    private static (float[] Weight, float[] Bias) Draw(TorchGenerator generator, int outputs, int inputs)
    {
        var weight = new float[outputs * inputs];
        var bias = new float[outputs];
        generator.LinearInit(weight, bias, inputs);
        return (weight, bias);
    }
}
