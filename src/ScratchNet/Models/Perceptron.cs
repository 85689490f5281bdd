using System.Numerics.Tensors;
using System.Numerics;
using ScratchNet.Randomness;
using ScratchNet.Tensors;

namespace ScratchNet.Models;

/// <summary>
/// The multiclass perceptron: W = 0 (classes × [features, 1]), ŷ = argmax W [x, 1] (ties to the first class, as
/// numpy), and on a mistake W[y] += x, W[ŷ] −= x. Its loss is the perceptron criterion s_ŷ − s_y ≥ 0, whose
/// gradient is e_ŷ xᵀ − e_y xᵀ on a mistake (the update above with η = 1; from W = 0 the predictions do not depend
/// on η). With pixels k/256 every float64 operation here is exact.
/// </summary>
public sealed class Perceptron<T> : IClassifierModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _input;   // [x, 1]
    private readonly T[] _scores;
    private int _label;
    private int _predicted;
    private bool _mistake;

    public Perceptron(int features, int classes)
    {
        Features = features;
        Classes = classes;
        Weight = new Parameter<T>("W", [classes, features + 1], ParameterLayout.RowMajor);
        Parameters = [Weight];
        _input = new T[features + 1];
        _scores = new T[classes];
    }

    public int Features { get; }
    public int Classes { get; }
    public Parameter<T> Weight { get; }
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    // s = W [x, 1],  ŷ = argmax s,  loss = s_ŷ − s_y
    public T Forward(ReadOnlySpan<T> input, int label, IDropoutMasks? dropout)
    {
        ThrowHelper.IfOutOfRange(label, Classes);
        _label = label;
        _predicted = Predict(input);
        return _scores[_predicted] - _scores[label];
    }

    // a mistake iff ŷ ≠ y; then dW[ŷ] = [x, 1], dW[y] = −[x, 1]
    public void Backward() => _mistake = _predicted != _label;

    public void AccumulateGradients()
    {
        if (!_mistake)
            return;
        TensorPrimitives.Add(Row(Weight.Gradient, _predicted), _input, Row(Weight.Gradient, _predicted));
        TensorPrimitives.Subtract(Row(Weight.Gradient, _label), _input, Row(Weight.Gradient, _label));
    }

    // W[y] += η [x, 1],  W[ŷ] −= η [x, 1]
    public void SgdStep(T learningRate)
    {
        if (!_mistake)
            return;
        TensorPrimitives.MultiplyAdd(_input, learningRate, Row(Weight.Value, _label), Row(Weight.Value, _label));
        TensorPrimitives.MultiplyAdd(_input, -learningRate, Row(Weight.Value, _predicted), Row(Weight.Value, _predicted));
    }

    public int Predict(ReadOnlySpan<T> input)
    {
        ThrowHelper.IfLengthNot(input.Length, Features, nameof(input));
        input.CopyTo(_input);
        _input[Features] = T.One;
        // every class's canonical dot W[k, :]·[x, 1] (RowDot.Dot's bits), the ten chains interleaved: one dot at a time
        // waits on its own multiply-add latency (3× slower per epoch, measured)
        Gemm.Multiply(GemmLayout.TransposeB, 1, Classes, Features + 1, T.One, _input, Weight.Value, T.Zero, _scores);
        return Scores.ArgMax<T>(_scores);
    }

    private Span<T> Row(T[] matrix, int row) => matrix.AsSpan(row * (Features + 1), Features + 1);
}
