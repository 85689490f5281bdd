namespace ScratchNet.Torch.Tests;

/// <summary>Gaussian blobs: class k is centred at 2.5·e_k (plus a shared offset) with unit noise; seeded, so every run is the same.</summary>
internal static class SyntheticProblem
{
    public static TorchClassificationData Blobs(int features = 8, int classes = 3, int train = 600, int dev = 150, int test = 150, int seed = 7)
    {
        var random = new Random(seed);
        TorchSplit Split(int count)
        {
            var x = new float[count * features];
            var y = new long[count];
            for (int i = 0; i < count; i++)
            {
                int label = i % classes;
                y[i] = label;
                for (int j = 0; j < features; j++)
                {
                    double noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                    x[(i * features) + j] = (float)((j == label ? 2.5 : 0) + 0.5 + noise);
                }
            }
            return new TorchSplit(x, y);
        }
        return new TorchClassificationData(features, classes, Split(train), Split(dev), Split(test));
    }
}
