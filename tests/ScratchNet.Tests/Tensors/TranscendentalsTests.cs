using ScratchNet.Tensors.Internals;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Tensors;

/// <summary>
/// ScratchNet's own exp, log and tanh against .NET's Math (the C library) over a million inputs each: the largest
/// error in units in the last place is printed (docs/kernels.md quotes it) and bounded.
/// </summary>
public class TranscendentalsTests(ITestOutputHelper output)
{
    private const int Draws = 1_000_000;

    [Fact]
    public void Exp_is_within_one_ulp_of_Math_Exp()
    {
        var random = new Random(1);
        long worst = 0;
        for (int i = 0; i < Draws; i++)
        {
            // the whole finite range, and the small arguments softmax mostly sees
            double x = i % 2 == 0 ? -745 + random.NextDouble() * 1455 : -20 + random.NextDouble() * 40;
            worst = Math.Max(worst, Ulps(Math.Exp(x), Transcendentals.Exp(x)));
        }
        output.WriteLine($"exp: max {worst} ulp over {Draws:N0} inputs");
        Assert.True(worst <= 1, $"exp is {worst} ulp from Math.Exp");
    }

    [Fact]
    public void Log_is_within_one_ulp_of_Math_Log()
    {
        var random = new Random(2);
        long worst = 0;
        for (int i = 0; i < Draws; i++)
        {
            // every binade (random positive bit patterns, subnormals included), and values near 1
            double x = i % 2 == 0
                ? BitConverter.Int64BitsToDouble(random.NextInt64(1, 0x7ff0000000000000L))
                : 0.5 + random.NextDouble() * 1.5;
            worst = Math.Max(worst, Ulps(Math.Log(x), Transcendentals.Log(x)));
        }
        output.WriteLine($"log: max {worst} ulp over {Draws:N0} inputs");
        Assert.True(worst <= 1, $"log is {worst} ulp from Math.Log");
    }

    [Fact]
    public void Tanh_is_within_four_ulp_of_Math_Tanh()
    {
        var random = new Random(3);
        long worst = 0;
        for (int i = 0; i < Draws; i++)
        {
            double x = i % 3 == 0 ? -25 + random.NextDouble() * 50
                : i % 3 == 1 ? -1 + random.NextDouble() * 2
                : (random.NextDouble() - 0.5) * Math.Pow(2, -random.Next(0, 40));
            worst = Math.Max(worst, Ulps(Math.Tanh(x), Transcendentals.Tanh(x)));
        }
        output.WriteLine($"tanh: max {worst} ulp over {Draws:N0} inputs");
        Assert.True(worst <= 4, $"tanh is {worst} ulp from Math.Tanh");
    }

    [Fact]
    public void Float_results_are_within_one_ulp_of_the_double_library_results_rounded()
    {
        var random = new Random(4);
        long worstExp = 0, worstLog = 0, worstTanh = 0;
        for (int i = 0; i < Draws; i++)
        {
            float e = -100 + random.NextSingle() * 188, l = BitConverter.Int32BitsToSingle(random.Next(1, 0x7f800000));
            float t = -10 + random.NextSingle() * 20;
            worstExp = Math.Max(worstExp, Ulps((float)Math.Exp(e), Transcendentals.Exp(e)));
            worstLog = Math.Max(worstLog, Ulps((float)Math.Log(l), Transcendentals.Log(l)));
            worstTanh = Math.Max(worstTanh, Ulps((float)Math.Tanh(t), Transcendentals.Tanh(t)));
        }
        output.WriteLine($"float: exp {worstExp}, log {worstLog}, tanh {worstTanh} ulp over {Draws:N0} inputs");
        Assert.True(Math.Max(worstExp, Math.Max(worstLog, worstTanh)) <= 1,
            $"float exp {worstExp}, log {worstLog}, tanh {worstTanh} ulp from Math's double results rounded to float");
    }

    [Fact]
    public void Special_values_follow_IEEE()
    {
        Assert.Equal(1.0, Transcendentals.Exp(0.0));
        Assert.Equal(double.PositiveInfinity, Transcendentals.Exp(710.0));
        Assert.Equal(0.0, Transcendentals.Exp(-746.0));
        Assert.True(double.IsNaN(Transcendentals.Exp(double.NaN)));
        Assert.Equal(0.0, Transcendentals.Log(1.0));
        Assert.Equal(double.NegativeInfinity, Transcendentals.Log(0.0));
        Assert.True(double.IsNaN(Transcendentals.Log(-1.0)));
        Assert.Equal(double.PositiveInfinity, Transcendentals.Log(double.PositiveInfinity));
        Assert.Equal(-1.0, Transcendentals.Tanh(-30.0));
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(Transcendentals.Tanh(-0.0)));
        Assert.True(double.IsNaN(Transcendentals.Tanh(double.NaN)));
    }

    private static long Ulps(double expected, double actual)
        => expected == actual ? 0 : Math.Abs(Ordered(BitConverter.DoubleToInt64Bits(expected)) - Ordered(BitConverter.DoubleToInt64Bits(actual)));

    private static long Ulps(float expected, float actual)
        => expected == actual ? 0 : Math.Abs((long)Ordered(BitConverter.SingleToInt32Bits(expected)) - Ordered(BitConverter.SingleToInt32Bits(actual)));

    // IEEE bit patterns as integers that order like the values (negatives mirrored below zero)
    private static long Ordered(long bits) => bits < 0 ? long.MinValue - bits : bits;

    private static int Ordered(int bits) => bits < 0 ? int.MinValue - bits : bits;
}
