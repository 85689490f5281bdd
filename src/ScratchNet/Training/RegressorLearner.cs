using System.Numerics;
using ScratchNet.Data;
using ScratchNet.IO;
using ScratchNet.Models;
using ScratchNet.Runs;

namespace ScratchNet.Training;

/// <summary>
/// Trains a regressor; each epoch reports the course's "loss" — the RMSE on train and test — and, when an analytic
/// solution is given (linear regression), the distance ‖ŵ − w‖ of the weights to it.
/// </summary>
public sealed class RegressorLearner<T> : ILearner where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IRegressorModel<T> _model;
    private readonly Optimizer<T> _optimizer;
    private readonly RegressionSet _train, _test;
    private readonly double[]? _analytic;
    private readonly T[] _input;

    public RegressorLearner(IRegressorModel<T> model, Optimizer<T> optimizer, RegressionSet train,
        RegressionSet test, double[]? analyticWeights = null)
    {
        if (train.FeatureCount != model.Features)
            throw new ArgumentException($"the model takes {model.Features} features; the data has {train.FeatureCount}.", nameof(train));
        (_model, _optimizer, _train, _test, _analytic) = (model, optimizer, train, test, analyticWeights);
        _input = new T[model.Features];
    }

    public int TrainingCount => _train.Count;

    public void BeginEpoch(int epoch)
    {
    }

    public double TrainBatch(ReadOnlySpan<int> indices)
    {
        var inPlace = indices.Length == 1 && _optimizer.IsPlainSgd;
        var learningRate = T.CreateChecked(_optimizer.LearningRate);
        var loss = 0.0;
        foreach (var index in indices)
        {
            Load(_train.Row(index), _input);
            loss += double.CreateChecked(_model.Forward(_input, T.CreateChecked(_train.Target(index))));
            _model.Backward();
            if (inPlace)
                _model.SgdStep(learningRate);
            else
                _model.AccumulateGradients();
        }
        if (!inPlace)
            _optimizer.Step(indices.Length);
        return loss;
    }

    public EpochMetrics Evaluate(int epoch) => new()
    {
        Epoch = epoch,
        TrainRmse = Rmse(_train),
        TestRmse = Rmse(_test),
        WeightDistance = _analytic is null ? null : DistanceToAnalytic(),
    };

    // ‖ŵ − w‖
    private double DistanceToAnalytic()
    {
        var weights = _model.Parameters[0].Value;
        var squared = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            var difference = _analytic![i] - double.CreateChecked(weights[i]);
            squared += difference * difference; // not Math.Pow: the C library's pow, chosen per CPU, is not always correctly rounded
        }
        return Math.Sqrt(squared);
    }

    /// <summary>√(mean((ŷ − y)²)) over <paramref name="examples"/>.</summary>
    public double Rmse(RegressionSet examples)
    {
        var sum = 0.0;
        for (var i = 0; i < examples.Count; i++)
        {
            Load(examples.Row(i), _input);
            var residual = double.CreateChecked(_model.Predict(_input)) - examples.Target(i);
            sum += residual * residual;
        }
        return Math.Sqrt(sum / examples.Count);
    }

    public IReadOnlyList<SafeTensor> Weights() => ModelState.Export(_model.Parameters);

    public IReadOnlyList<SafeTensor> SaveState() => LearnerState.Save(_model.Parameters, _optimizer);

    public void LoadState(IReadOnlyList<SafeTensor> tensors, string source) => LearnerState.Load(_model.Parameters, _optimizer, tensors, source);

    private static void Load(ReadOnlySpan<double> row, Span<T> destination)
    {
        for (var j = 0; j < row.Length; j++)
            destination[j] = T.CreateChecked(row[j]);
    }
}
