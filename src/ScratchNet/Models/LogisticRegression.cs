using System.Numerics.Tensors;
using System.Numerics;
using ScratchNet.Randomness;
using ScratchNet.Tensors;

namespace ScratchNet.Models;

/// <summary>
/// Multinomial logistic regression: p = softmax(W [x, 1]) with W = 0 (classes × [features, 1]), cross-entropy loss,
/// per-example update W ← W + η (e_y − p) [x, 1]ᵀ as the course did.
/// </summary>
public sealed class LogisticRegression<T> : IClassifierModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _input;   // [x, 1]
    private readonly T[] _logits;
    private readonly T[] _probabilities;
    private readonly T[] _dLogits;
    private int _label;

    public LogisticRegression(int features, int classes)
    {
        Features = features;
        Classes = classes;
        Weight = new Parameter<T>("W", [classes, features + 1], ParameterLayout.RowMajor);
        Parameters = [Weight];
        _input = new T[features + 1];
        _logits = new T[classes];
        _probabilities = new T[classes];
        _dLogits = new T[classes];
    }

    public int Features { get; }
    public int Classes { get; }
    public Parameter<T> Weight { get; }
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    // z = W [x, 1],  p = softmax(z),  loss = −log p_y
    public T Forward(ReadOnlySpan<T> input, int label, IDropoutMasks? dropout)
    {
        _label = label;
        ComputeLogits(input);
        return SoftmaxCrossEntropy.Forward<T>(_logits, label, _probabilities);
    }

    // dz = p − e_y;  dW = dz [x, 1]ᵀ (applied row by row below)
    public void Backward() => SoftmaxCrossEntropy.Backward<T>(_probabilities, _label, _dLogits);

    public void AccumulateGradients()
    {
        for (var k = 0; k < Classes; k++)
            TensorPrimitives.MultiplyAdd(_input, _dLogits[k], Row(Weight.Gradient, k), Row(Weight.Gradient, k));
    }

    // W[k] ← W[k] + η (e_y − p)_k [x, 1]
    public void SgdStep(T learningRate)
    {
        for (var k = 0; k < Classes; k++)
            TensorPrimitives.MultiplyAdd(_input, learningRate * -_dLogits[k], Row(Weight.Value, k), Row(Weight.Value, k));
    }

    public int Predict(ReadOnlySpan<T> input)
    {
        ComputeLogits(input);
        return Scores.ArgMax<T>(_logits);
    }

    private void ComputeLogits(ReadOnlySpan<T> input)
    {
        ThrowHelper.IfLengthNot(input.Length, Features, nameof(input));
        input.CopyTo(_input);
        _input[Features] = T.One;
        // every class's canonical dot W[k, :]·[x, 1] (RowDot.Dot's bits), the ten chains interleaved: one dot at a time
        // waits on its own multiply-add latency (3× slower per epoch, measured)
        Gemm.Multiply(GemmLayout.TransposeB, 1, Classes, Features + 1, T.One, _input, Weight.Value, T.Zero, _logits);
    }

    private Span<T> Row(T[] matrix, int row) => matrix.AsSpan(row * (Features + 1), Features + 1);
}
