using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ScratchNet.Tests.Calculus;

/// <summary>A logit: ordinary values, extremes up to ±1e4, and the edges where exp over/underflows (±709, ±745).</summary>
public readonly record struct Logit(double Value)
{
    public override string ToString() => Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A vector of 1..12 logits, each drawn like <see cref="Logit"/>.</summary>
public sealed record LogitVector(double[] Values)
{
    public override string ToString() => $"[{string.Join(", ", Values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}]";
}

public static class CalculusArbitraries
{
    private static readonly double[] Edges = [0, 1e4, -1e4, 709, -709, 745, -745, 800, -800, 36, -36, 1e-8, -1e-8];

    public static Gen<double> LogitValue { get; } = Gen.Frequency(
        (2, Gen.Elements(Edges)),
        (5, Gen.Choose(-1_000_000, 1_000_000).Select(i => i / 1e5)),                       // [-10, 10]
        (3, Gen.Zip(Gen.Choose(0, 4_000_000), Gen.Elements(-1.0, 1.0))
            .Select(pair => pair.Item2 * Math.Pow(10, pair.Item1 / 1e6))));                 // ±[1, 1e4], log-uniform

    public static Arbitrary<Logit> Logits() => LogitValue.Select(value => new Logit(value)).ToArbitrary();

    public static Arbitrary<LogitVector> LogitVectors() =>
        Gen.Choose(1, 12).SelectMany(length => LogitValue.ArrayOf(length)).Select(values => new LogitVector(values)).ToArbitrary();
}

/// <summary>An FsCheck property over the calculus generators, 200 cases, from a fixed seed (deterministic).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CalculusPropertyAttribute : PropertyAttribute
{
    public CalculusPropertyAttribute()
    {
        Arbitrary = [typeof(CalculusArbitraries)];
        MaxTest = 200;
        Replay = "(42,43)";
    }
}
