namespace ScratchNet.Training;

/// <summary>
/// Images as the trainer reads them: <see cref="Count"/> rows of <see cref="Features"/> bytes and one label each.
/// The pixels stay bytes; a model sees byte × <see cref="PixelScale"/> (the course's 1/256).
/// </summary>
public sealed class ImageExamples
{
    public const double PixelScale = 1.0 / 256;

    public ImageExamples(ReadOnlyMemory<byte> pixels, ReadOnlyMemory<byte> labels, int features, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        if (pixels.Length != labels.Length * features)
            throw new ArgumentException($"pixels has {pixels.Length} bytes; expected labels ({labels.Length}) × features ({features}).", nameof(pixels));
        Pixels = pixels;
        Labels = labels;
        Features = features;
        Classes = classes;
    }

    public ReadOnlyMemory<byte> Pixels { get; }
    public ReadOnlyMemory<byte> Labels { get; }
    public int Features { get; }
    public int Classes { get; }
    public int Count => Labels.Length;

    public ReadOnlySpan<byte> Row(int index) => Pixels.Span.Slice(index * Features, Features);

    public int Label(int index) => Labels.Span[index];

    /// <summary>The first <paramref name="count"/> examples (all of them when there are fewer).</summary>
    public ImageExamples Take(int count)
    {
        var n = Math.Min(count, Count);
        return new ImageExamples(Pixels[..(n * Features)], Labels[..n], Features, Classes);
    }
}

/// <summary>A regression set: <see cref="Count"/> rows of <see cref="Features"/> doubles and one target each.</summary>
public sealed class RegressionExamples
{
    public RegressionExamples(ReadOnlyMemory<double> features, ReadOnlyMemory<double> targets, int featureCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        if (features.Length != targets.Length * featureCount)
            throw new ArgumentException($"features has {features.Length} values; expected targets ({targets.Length}) × features ({featureCount}).", nameof(features));
        Values = features;
        Targets = targets;
        Features = featureCount;
    }

    public ReadOnlyMemory<double> Values { get; }
    public ReadOnlyMemory<double> Targets { get; }
    public int Features { get; }
    public int Count => Targets.Length;

    public ReadOnlySpan<double> Row(int index) => Values.Span.Slice(index * Features, Features);

    public double Target(int index) => Targets.Span[index];

    public RegressionExamples Take(int count)
    {
        var n = Math.Min(count, Count);
        return new RegressionExamples(Values[..(n * Features)], Targets[..n], Features);
    }
}
