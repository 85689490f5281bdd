using System.Numerics.Tensors;
using System.Numerics;
using ScratchNet.Tensors;

namespace ScratchNet.Models;

/// <summary>
/// Linear regression ŷ = w · [x, 1] on ½(ŷ − y)², trained as the course did: w = 0, then per example
/// w ← w + η (y − w·x) x. The bias is the last of the <c>Features + 1</c> weights.
/// </summary>
public sealed class LinearRegression<T> : IRegressorModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _input;   // [x, 1]
    private T _prediction;
    private T _target;
    private T _dPrediction;        // ŷ − y

    public LinearRegression(int features)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        Features = features;
        Weight = new Parameter<T>("W", [1, features + 1], ParameterLayout.RowMajor);
        Parameters = [Weight];
        _input = new T[features + 1];
    }

    public int Features { get; }
    public Parameter<T> Weight { get; }
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    // ŷ = w · [x, 1],  loss = ½(ŷ − y)²
    public T Forward(ReadOnlySpan<T> input, T target)
    {
        _prediction = Predict(input);
        _target = target;
        var residual = _prediction - target;
        return T.CreateChecked(0.5) * residual * residual;
    }

    // dŷ = ŷ − y  (and dw = dŷ [x, 1], applied by the two methods below)
    public void Backward() => _dPrediction = _prediction - _target;

    public void AccumulateGradients() =>
        TensorPrimitives.MultiplyAdd(_input, _dPrediction, Weight.Gradient, Weight.Gradient);

    // w ← w + η (y − ŷ) [x, 1]
    public void SgdStep(T learningRate) =>
        TensorPrimitives.MultiplyAdd(_input, learningRate * -_dPrediction, Weight.Value, Weight.Value);

    public T Predict(ReadOnlySpan<T> input)
    {
        ThrowHelper.IfLengthNot(input.Length, Features, nameof(input));
        input.CopyTo(_input);
        _input[Features] = T.One;
        return RowDot.Dot<T>(Weight.Value, _input);
    }
}
