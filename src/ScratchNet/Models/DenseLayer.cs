using System.Numerics.Tensors;
using System.Numerics;
using ScratchNet.Tensors;

namespace ScratchNet.Models;

/// <summary>
/// A fully connected layer z = W x + b with W stored input-major (one row of <c>Out</c> weights per input), so a
/// zero input (a black pixel, a ReLU that is off) skips a whole row in the forward pass and in the update.
/// Shapes: x [In], z [Out], W logical (Out, In) stored (In, Out), b [Out]. The loops are ScratchNet.Tensors'
/// non-zero-input kernels (<see cref="NonZeroInputs"/>: rows visited in increasing input order) and its GEMV.
/// </summary>
public sealed partial class DenseLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A layer whose parameters are named <c>W{number}</c> and <c>b{number}</c> (numbered from 1, as the course).</summary>
    public DenseLayer(int number, int inputs, int outputs)
    {
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
        ThrowHelper.IfLengthNot(input.Length, In, nameof(input));
        ThrowHelper.IfLengthNot(output.Length, Out, nameof(output));
        Bias.Value.AsSpan().CopyTo(output);
        NonZeroInputs.AccumulateTransposed<T>(input, Weight.Value, output);
    }

    // dx_j = W[j, :] · dz   (dz [Out] → dx [In]); uses the weights as they are (call before any update)
    public void BackwardInput(ReadOnlySpan<T> dOutput, Span<T> dInput)
    {
        ThrowHelper.IfLengthNot(dOutput.Length, Out, nameof(dOutput));
        ThrowHelper.IfLengthNot(dInput.Length, In, nameof(dInput));
        Gemv.Multiply<T>(Weight.Value, In, Out, dOutput, T.One, T.Zero, dInput);
    }

    // dx_j = W[j, :] · dz where gate_j > 0, else 0: all a ReLU below needs (its derivative is 0 elsewhere), with each
    // computed dx_j exactly BackwardInput's (both are RowDot's canonical bits)
    public void BackwardInputWherePositive(ReadOnlySpan<T> dOutput, ReadOnlySpan<T> gate, Span<T> dInput)
    {
        ThrowHelper.IfLengthNot(dOutput.Length, Out, nameof(dOutput));
        ThrowHelper.IfLengthNot(gate.Length, In, nameof(gate));
        ThrowHelper.IfLengthNot(dInput.Length, In, nameof(dInput));
        RowDot.WherePositive<T>(Weight.Value, dOutput, gate, dInput);
    }

    // dW[j, :] += x_j dz,  db += dz
    public void AccumulateGradients(ReadOnlySpan<T> input, ReadOnlySpan<T> dOutput)
    {
        ThrowHelper.IfLengthNot(input.Length, In, nameof(input));
        ThrowHelper.IfLengthNot(dOutput.Length, Out, nameof(dOutput));
        NonZeroInputs.Rank1Update<T>(input, dOutput, T.One, Weight.Gradient);
        TensorPrimitives.Add(Bias.Gradient, dOutput, Bias.Gradient);
    }

    // Plain SGD with the rank-one gradient x dzᵀ applied in place: W[j, :] −= (η x_j) dz, b −= η dz.
    // Touches only the rows of nonzero inputs; the dense gradient is never built.
    public void SgdStep(ReadOnlySpan<T> input, ReadOnlySpan<T> dOutput, T learningRate)
    {
        ThrowHelper.IfLengthNot(input.Length, In, nameof(input));
        ThrowHelper.IfLengthNot(dOutput.Length, Out, nameof(dOutput));
        NonZeroInputs.Rank1Update<T>(input, dOutput, -learningRate, Weight.Value);
        TensorPrimitives.MultiplyAdd(dOutput, -learningRate, Bias.Value, Bias.Value);
    }
}
