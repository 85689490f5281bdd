using System.Numerics;
using ScratchNet.Randomness;

namespace ScratchNet.Models;

/// <summary>
/// What every model does in one training step: <c>Forward</c> (returns the loss and keeps its activations),
/// <c>Backward</c> (fills the <c>d</c> buffers from the weights as they are, before any update), then either
/// <see cref="SgdStep"/> (the course's per-example update, applied in place without building the dense gradient)
/// or <see cref="AccumulateGradients"/> (adds this example's gradient to <see cref="Parameter{T}.Gradient"/> for an
/// optimizer to apply).
/// </summary>
public interface IModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The number of raw input features (without any bias column the model appends itself).</summary>
    int Features { get; }

    IReadOnlyList<Parameter<T>> Parameters { get; }

    void AccumulateGradients();

    void SgdStep(T learningRate);
}

/// <summary>A classifier over <see cref="IModel{T}.Features"/> inputs and <see cref="Classes"/> classes.</summary>
public interface IClassifierModel<T> : IModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    int Classes { get; }

    /// <summary>The loss of one example; <paramref name="dropout"/> is the mask stream in training, null in evaluation.</summary>
    T Forward(ReadOnlySpan<T> input, int label, IDropoutMasks? dropout);

    void Backward();

    int Predict(ReadOnlySpan<T> input);
}

/// <summary>A regressor with squared loss ½(ŷ − y)².</summary>
public interface IRegressorModel<T> : IModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    T Forward(ReadOnlySpan<T> input, T target);

    void Backward();

    T Predict(ReadOnlySpan<T> input);
}
