using System.Numerics;
using ScratchNet.Randomness;

namespace ScratchNet.Models;

/// <summary>
/// A multilayer perceptron classifier: [Linear → ReLU|tanh → Dropout] × layers, Linear, softmax + cross-entropy
/// (max-subtracted, so the course's N(0.1, 0.1) init with its large logits does not overflow).
/// </summary>
public sealed partial class Mlp<T> : IClassifierModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _probabilities;
    private readonly T[] _dLogits;
    private int _label;
    private bool _dropoutApplied;

    public Mlp(int features, IReadOnlyList<int> hidden, int classes, Activation activation = Activation.Relu, double dropout = 0)
    {
        Network = new FeedForward<T>(features, hidden, classes, activation, dropout);
        Features = features;
        Classes = classes;
        _probabilities = new T[classes];
        _dLogits = new T[classes];
    }

    public FeedForward<T> Network { get; }
    public int Features { get; }
    public int Classes { get; }
    public IReadOnlyList<Parameter<T>> Parameters => Network.Parameters;

    public void Initialize(InitKind init, NumpyRandomState random) => Network.Initialize(init, random);

    // z = network(x),  p = softmax(z),  loss = −log p_label
    public T Forward(ReadOnlySpan<T> input, int label, IDropoutMasks? dropout)
    {
        _label = label;
        _dropoutApplied = dropout is not null;
        return SoftmaxCrossEntropy.Forward(Network.Forward(input, dropout), label, _probabilities);
    }

    // dz = p − e_label, then back through the layers (all from the weights before the update)
    public void Backward()
    {
        SoftmaxCrossEntropy.Backward<T>(_probabilities, _label, _dLogits);
        Network.Backward(_dLogits, _dropoutApplied);
    }

    public void AccumulateGradients() => Network.AccumulateGradients();

    public void SgdStep(T learningRate) => Network.SgdStep(learningRate);

    public int Predict(ReadOnlySpan<T> input) => Scores.ArgMax(Network.Forward(input, dropout: null));
}
