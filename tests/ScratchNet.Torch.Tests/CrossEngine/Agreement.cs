namespace ScratchNet.Torch.Tests.CrossEngine;

/// <summary>Equality of two engines' numbers up to a relative tolerance, per tensor (relative to the tensor's largest magnitude).</summary>
internal static class Agreement
{
    public static void Equal(IReadOnlyList<NamedArray<double>> torch, IReadOnlyList<double[]> scratch, double relative, string what)
    {
        Assert.Equal(torch.Count, scratch.Count);
        for (int p = 0; p < torch.Count; p++)
        {
            var expected = torch[p].Data;
            Assert.Equal(expected.Length, scratch[p].Length);
            double scale = Math.Max(expected.Max(Math.Abs), 1e-300);
            double worst = 0;
            int at = 0;
            for (int i = 0; i < expected.Length; i++)
            {
                double difference = Math.Abs(expected[i] - scratch[p][i]);
                if (!(difference <= worst))
                    (worst, at) = (difference, i);
            }
            Assert.True(worst / scale <= relative,
                $"{what} {torch[p].Name}[{at}]: torch {expected[at]:R}, scratch {scratch[p][at]:R}; max difference {worst:E3} is {worst / scale:E3} of max |value| {scale:E3} (allowed {relative:E0})");
        }
    }

    public static void Equal(double torch, double scratch, double relative, string what) =>
        Assert.True(Math.Abs(torch - scratch) <= relative * Math.Abs(torch), $"{what}: torch {torch:R}, scratch {scratch:R}");
}
