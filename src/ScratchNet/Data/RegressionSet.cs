namespace ScratchNet.Data;

/// <summary>A regression data set: row-major double features (<see cref="Count"/> × <see cref="FeatureCount"/>) and one target per row.</summary>
public sealed class RegressionSet
{
    private readonly double[] _features;
    private readonly double[] _targets;

    public RegressionSet(double[] features, double[] targets, int featureCount)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ThrowHelper.IfLessThanOne(featureCount);
        ThrowHelper.IfLengthNot(features.LongLength, (long)targets.Length * featureCount, nameof(features));
        _features = features;
        _targets = targets;
        FeatureCount = featureCount;
    }

    public int Count => _targets.Length;
    public int FeatureCount { get; }

    public ReadOnlySpan<double> Row(int index)
    {
        ThrowHelper.IfOutOfRange(index, Count);
        return _features.AsSpan(index * FeatureCount, FeatureCount);
    }

    public double Target(int index)
    {
        ThrowHelper.IfOutOfRange(index, Count);
        return _targets[index];
    }

    public ReadOnlySpan<double> AllFeatures => _features;
    public ReadOnlySpan<double> Targets => _targets;
}
