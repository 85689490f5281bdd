using ScratchNet.Data;
using ScratchNet.Randomness;

namespace ScratchNet.Tests.Training;

/// <summary>Small seeded problems built in code: images whose label depends on which quarter is brightest, and a noisy linear target.</summary>
internal static class Synthetic
{
    public static LabeledImages Images(int count, uint seed, int side = 6)
    {
        var random = new NumpyRandomState(seed);
        var features = side * side;
        var pixels = new byte[count * features];
        var labels = new byte[count];
        for (var i = 0; i < count; i++)
        {
            var label = (byte)random.RandInt(0, 4);
            labels[i] = label;
            for (var j = 0; j < features; j++)
            {
                var quarter = (j % side < side / 2 ? 0 : 1) + (j / side < side / 2 ? 0 : 2);
                var bright = quarter == label ? 160 : 0;
                var value = random.NextDouble() < 0.4 ? 0 : bright + random.RandInt(0, 96);
                pixels[i * features + j] = (byte)value;
            }
        }
        return new LabeledImages(pixels, labels, features, classes: 4);
    }

    public static RegressionSet Regression(int count, int featureCount, uint seed)
    {
        var random = new NumpyRandomState(seed);
        var truth = new double[featureCount];
        random.Normal(0, 0.5, truth);
        var features = new double[count * featureCount];
        var targets = new double[count];
        for (var i = 0; i < count; i++)
        {
            var row = features.AsSpan(i * featureCount, featureCount);
            random.Normal(0, 1, row);
            row[0] = 0; // a zero column, as the one-hot Ames columns often are
            var y = 1.0 + random.Normal(0, 0.05);
            for (var j = 0; j < featureCount; j++)
                y += truth[j] * row[j];
            targets[i] = y;
        }
        return new RegressionSet(features, targets, featureCount);
    }
}
