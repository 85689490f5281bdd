using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ScratchNet.Models;
using ScratchNet.Runs;
using ScratchNet.Training;

namespace ScratchNet.Tests.Training;

/// <summary>
/// The optimizer's one-pass SGD step against its naive twin, the three-pass form it replaced (scale by 1/B, add λ w,
/// update, clear), bit for bit: float and double, with and without weight decay, lengths around the vector width and
/// the MLP's 784·200, values that include ±0 and subnormals.
/// </summary>
public class FusedSgdStepTests
{
    public static TheoryData<int, double, int> Cases()
    {
        var cases = new TheoryData<int, double, int>();
        foreach (var length in new[] { 0, 1, 3, 7, 8, 17, 33, 784 * 200 + 1 })
            foreach (var decay in new[] { 0.0, 0.01 })
                cases.Add(length, decay, length % 2 == 0 ? 16 : 3);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float32_step_equals_the_three_pass_step_bit_for_bit(int length, double decay, int batch) =>
        AssertBitIdentical<float>(length, decay, batch);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float64_step_equals_the_three_pass_step_bit_for_bit(int length, double decay, int batch) =>
        AssertBitIdentical<double>(length, decay, batch);

    [Fact]
    public void A_step_allocates_nothing()
    {
        foreach (var kind in new[] { OptimizerKind.Sgd, OptimizerKind.Adam })
        {
            var parameters = new[] { Filled<float>(1001, 1), Filled<float>(10, 2) };
            var optimizer = new Optimizer<float>(kind, 0.01, 0.001, parameters);
            optimizer.Step(16);
            var before = GC.GetAllocatedBytesForCurrentThread();
            optimizer.Step(16);
            Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        }
    }

    // Several steps on two parameters, so a wrong per-parameter offset or a gradient left unzeroed shows up too.
    private static void AssertBitIdentical<T>(int length, double decay, int batch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const double learningRate = 0.05;
        var fused = new[] { Filled<T>(length, 11), Filled<T>(length / 2 + 1, 12) };
        var twin = new[] { Filled<T>(length, 11), Filled<T>(length / 2 + 1, 12) };
        var optimizer = new Optimizer<T>(OptimizerKind.Sgd, learningRate, decay, fused);
        for (var step = 0; step < 3; step++)
        {
            optimizer.Step(batch);
            foreach (var parameter in twin)
                ThreePassStep(parameter, learningRate, decay, batch);
            for (var p = 0; p < fused.Length; p++)
            {
                AssertSameBits(twin[p].Value, fused[p].Value, $"weights of parameter {p} after step {step + 1}");
                Assert.All(fused[p].Gradient, g => Assert.Equal(0, BitsOf(g)));
                FillGradient(fused[p].Gradient, 100 + step);
                FillGradient(twin[p].Gradient, 100 + step);
            }
        }
    }

    // The step as Optimizer.Step wrote it before it was fused: four TensorPrimitives passes.
    private static void ThreePassStep<T>(Parameter<T> parameter, double learningRate, double weightDecay, int batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var value = parameter.Value.AsSpan();
        var gradient = parameter.Gradient.AsSpan();
        TensorPrimitives.Multiply(gradient, T.One / T.CreateChecked(batch), gradient);
        if (weightDecay != 0)
            TensorPrimitives.MultiplyAdd(value, T.CreateChecked(weightDecay), gradient, gradient);
        TensorPrimitives.MultiplyAdd(gradient, -T.CreateChecked(learningRate), value, value);
        gradient.Clear();
    }

    private static Parameter<T> Filled<T>(int length, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var parameter = new Parameter<T>("W", [length], ParameterLayout.RowMajor);
        var random = new Random(seed);
        for (var i = 0; i < length; i++)
            parameter.Value[i] = Awkward<T>(random, i);
        FillGradient(parameter.Gradient, seed + 1);
        return parameter;
    }

    private static void FillGradient<T>(T[] gradient, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        for (var i = 0; i < gradient.Length; i++)
            gradient[i] = Awkward<T>(random, i + 3);
    }

    // Mostly ordinary values of mixed magnitude, with ±0, the smallest subnormal and large values mixed in.
    private static T Awkward<T>(Random random, int i) where T : unmanaged, IFloatingPointIeee754<T> => (i % 11) switch
    {
        0 => T.Zero,
        1 => T.NegativeZero,
        2 => T.Epsilon,
        3 => T.CreateChecked(random.NextDouble() * 1e30),
        _ => T.CreateChecked((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 4))),
    };

    private static void AssertSameBits<T>(T[] expected, T[] actual, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            if (BitsOf(expected[i]) != BitsOf(actual[i]))
                Assert.Fail($"{what}: element {i} of {expected.Length} is {actual[i]}, the three-pass step gives {expected[i]}.");
    }

    private static long BitsOf<T>(T value) where T : unmanaged => Unsafe.SizeOf<T>() == 4
        ? MemoryMarshal.Cast<T, int>(new Span<T>(ref value))[0]
        : MemoryMarshal.Cast<T, long>(new Span<T>(ref value))[0];
}
