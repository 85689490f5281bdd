using System.Numerics;
using ScratchNet.Randomness;

namespace ScratchNet.Models;

/// <summary>
/// The course's neural regressor: inputs → hidden ReLU layers (default one of 150) → 1, squared loss ½(ŷ − y)²,
/// no bias column (the layers have their own biases).
/// </summary>
public sealed class NeuralRegressor<T> : IRegressorModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _dOutput = new T[1];
    private T _prediction;
    private T _target;

    public NeuralRegressor(int features, IReadOnlyList<int> hidden, Activation activation = Activation.Relu)
    {
        Network = new FeedForward<T>(features, hidden, 1, activation, dropout: 0);
        Features = features;
    }

    public FeedForward<T> Network { get; }
    public int Features { get; }
    public IReadOnlyList<Parameter<T>> Parameters => Network.Parameters;

    public void Initialize(InitKind init, NumpyRandomState random) => Network.Initialize(init, random);

    // ŷ = network(x),  loss = ½(ŷ − y)²
    public T Forward(ReadOnlySpan<T> input, T target)
    {
        _prediction = Predict(input);
        _target = target;
        var residual = _prediction - target;
        return T.CreateChecked(0.5) * residual * residual;
    }

    // dŷ = ŷ − y, then back through the layers
    public void Backward()
    {
        _dOutput[0] = _prediction - _target;
        Network.Backward(_dOutput, dropoutApplied: false);
    }

    public void AccumulateGradients() => Network.AccumulateGradients();

    public void SgdStep(T learningRate) => Network.SgdStep(learningRate);

    public T Predict(ReadOnlySpan<T> input) => Network.Forward(input, dropout: null)[0];
}
