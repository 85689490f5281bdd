namespace ScratchNet.Calculus;

/// <summary>
/// Seeded random test points for the calculus checks. Scalars mix ordinary values with the extremes a numerically
/// careless formula breaks on: about 1 in 20 is exactly ±1e4 and 1 in 5 has a magnitude log-uniform in [1, 1e4].
/// </summary>
public static class RandomPoints
{
    public const double Extreme = 1e4;

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Normal(Random random)
    {
        var u = 1 - random.NextDouble(); // (0, 1]: keeps the logarithm finite
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble());
    }

    /// <summary>A logit-like scalar: N(0, 3²) most of the time, with extremes up to ±1e4 mixed in.</summary>
    public static double Logit(Random random)
    {
        var kind = random.NextDouble();
        var sign = random.Next(2) == 0 ? -1 : 1;
        return kind switch
        {
            < 0.05 => sign * Extreme,
            < 0.25 => sign * Math.Pow(10, 4 * random.NextDouble()),
            _ => 3 * Normal(random),
        };
    }

    public static double[] Logits(Random random, int length)
    {
        var values = new double[length];
        for (var i = 0; i < length; i++)
            values[i] = Logit(random);
        return values;
    }

    public static double[] Normals(Random random, int length, double scale = 1)
    {
        var values = new double[length];
        for (var i = 0; i < length; i++)
            values[i] = scale * Normal(random);
        return values;
    }
}
