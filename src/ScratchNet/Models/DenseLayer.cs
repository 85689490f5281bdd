using System.Numerics.Tensors;
using System.Numerics;

namespace ScratchNet.Models;

/// <summary>
/// A fully connected layer z = W x + b with W stored input-major (one row of <c>Out</c> weights per input), so a
/// zero input (a black pixel, a ReLU that is off) skips a whole row in the forward pass and in the update.
/// Shapes: x [In], z [Out], W logical (Out, In) stored (In, Out), b [Out].
/// </summary>
public sealed class DenseLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _rows;      // the nonzero inputs of the current example
    private readonly T[] _scales;      // their values

    /// <summary>A layer whose parameters are named <c>W{number}</c> and <c>b{number}</c> (numbered from 1, as the course).</summary>
    public DenseLayer(int number, int inputs, int outputs)
    {
        _rows = new int[inputs];
        _scales = new T[inputs];
        In = inputs;
        Out = outputs;
        Weight = new Parameter<T>($"W{number}", [outputs, inputs], ParameterLayout.InputMajor);
        Bias = new Parameter<T>($"b{number}", [outputs], ParameterLayout.RowMajor);
    }

    public int In { get; }
    public int Out { get; }
    public Parameter<T> Weight { get; }
    public Parameter<T> Bias { get; }

    // z = b + Σ_j x_j W[j, :]   (x [In] → z [Out])
    public void Forward(ReadOnlySpan<T> input, Span<T> output)
    {
        ModelThrow.IfLength(input, In, nameof(input));
        ModelThrow.IfLength(output, Out, nameof(output));
        Bias.Value.AsSpan().CopyTo(output);
        var count = 0;
        for (var j = 0; j < input.Length; j++)
        {
            if (input[j] != T.Zero)
            {
                _rows[count] = j;
                _scales[count++] = input[j];
            }
        }
        DenseKernels.AddScaledRows<T>(Weight.Value, Out, _rows.AsSpan(0, count), _scales.AsSpan(0, count), output);
    }

    // dx_j = W[j, :] · dz   (dz [Out] → dx [In]); uses the weights as they are (call before any update)
    public void BackwardInput(ReadOnlySpan<T> dOutput, Span<T> dInput)
    {
        ModelThrow.IfLength(dOutput, Out, nameof(dOutput));
        ModelThrow.IfLength(dInput, In, nameof(dInput));
        var weight = Weight.Value.AsSpan();
        for (var j = 0; j < dInput.Length; j++)
            dInput[j] = DenseKernels.Dot(weight.Slice(j * Out, Out), dOutput);
    }

    // dW[j, :] += x_j dz,  db += dz
    public void AccumulateGradients(ReadOnlySpan<T> input, ReadOnlySpan<T> dOutput)
    {
        ModelThrow.IfLength(input, In, nameof(input));
        ModelThrow.IfLength(dOutput, Out, nameof(dOutput));
        var dWeight = Weight.Gradient.AsSpan();
        for (var j = 0; j < input.Length; j++)
        {
            if (input[j] != T.Zero)
            {
                DenseKernels.AddScaled(dOutput, input[j], dWeight.Slice(j * Out, Out));
            }
        }
        TensorPrimitives.Add(Bias.Gradient, dOutput, Bias.Gradient);
    }

    // Plain SGD with the rank-one gradient x dzᵀ applied in place: W[j, :] −= (η x_j) dz, b −= η dz.
    // Touches only the rows of nonzero inputs; the dense gradient is never built.
    public void SgdStep(ReadOnlySpan<T> input, ReadOnlySpan<T> dOutput, T learningRate)
    {
        ModelThrow.IfLength(input, In, nameof(input));
        ModelThrow.IfLength(dOutput, Out, nameof(dOutput));
        var weight = Weight.Value.AsSpan();
        for (var j = 0; j < input.Length; j++)
        {
            if (input[j] != T.Zero)
            {
                DenseKernels.AddScaled(dOutput, -learningRate * input[j], weight.Slice(j * Out, Out));
            }
        }
        TensorPrimitives.MultiplyAdd(dOutput, -learningRate, Bias.Value, Bias.Value);
    }
}
