using ScratchNet.Models;
using ScratchNet.Runs;

namespace ScratchNet.Torch.Tests.CrossEngine;

/// <summary>
/// The scratch engine's model for a torch configuration, and its parameters in PyTorch's layout. Logistic regression:
/// scratch W [classes, features + 1] (bias column last) ↔ linear.weight [classes, features] + linear.bias. MLP: scratch
/// W1, b1, W2, … (W stored input-major) ↔ layers.0.weight [out, in], layers.0.bias, layers.3.weight, ….
/// </summary>
internal static class ScratchModels
{
    public static IClassifierModel<double> Create(TrainingOptions options, int features, int classes) =>
        options.Model == ModelKind.LogisticRegression
            ? new LogisticRegression<double>(features, classes)
            : new Mlp<double>(features, Enumerable.Repeat(options.HiddenSize, options.Layers).ToArray(), classes,
                options.Activation, dropout: 0);

    /// <summary>Copies PyTorch-layout arrays (named_parameters order) into the scratch model.</summary>
    public static void Load(IClassifierModel<double> model, IReadOnlyList<double[]> torch)
    {
        if (model is LogisticRegression<double> logistic)
        {
            int features = logistic.Features;
            for (int k = 0; k < logistic.Classes; k++)
            {
                torch[0].AsSpan(k * features, features).CopyTo(logistic.Weight.Value.AsSpan(k * (features + 1)));
                logistic.Weight.Value[(k * (features + 1)) + features] = torch[1][k];
            }
            return;
        }
        Assert.Equal(torch.Count, model.Parameters.Count);
        for (int p = 0; p < torch.Count; p++)
            FromTorchLayout(model.Parameters[p], torch[p]).CopyTo(model.Parameters[p].Value, 0);
    }

    /// <summary>The model's values (or gradient buffers) in PyTorch's layout and named_parameters order.</summary>
    public static List<double[]> ToTorchLayout(IClassifierModel<double> model, bool gradients = false)
    {
        double[] Of(Parameter<double> parameter) => gradients ? parameter.Gradient : parameter.Value;
        if (model is LogisticRegression<double> logistic)
        {
            int features = logistic.Features;
            var w = Of(logistic.Weight);
            var weight = new double[logistic.Classes * features];
            var bias = new double[logistic.Classes];
            for (int k = 0; k < logistic.Classes; k++)
            {
                w.AsSpan(k * (features + 1), features).CopyTo(weight.AsSpan(k * features));
                bias[k] = w[(k * (features + 1)) + features];
            }
            return [weight, bias];
        }
        return model.Parameters.Select(p => p.Layout == ParameterLayout.InputMajor ? Transpose(Of(p), p.Shape[1], p.Shape[0]) : (double[])Of(p).Clone()).ToList();
    }

    private static double[] FromTorchLayout(Parameter<double> parameter, double[] torch)
    {
        Assert.Equal(parameter.Value.Length, torch.Length);
        return parameter.Layout == ParameterLayout.InputMajor ? Transpose(torch, parameter.Shape[0], parameter.Shape[1]) : torch;
    }

    // [rows, columns] → [columns, rows]
    private static double[] Transpose(double[] values, int rows, int columns)
    {
        var result = new double[values.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
                result[(c * rows) + r] = values[(r * columns) + c];
        }
        return result;
    }
}
