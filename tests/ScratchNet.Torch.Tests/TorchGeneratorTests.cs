using ScratchNet.Randomness;
using static TorchSharp.torch;

namespace ScratchNet.Torch.Tests;

/// <summary>
/// The managed <see cref="TorchGenerator"/> against libtorch itself (through TorchSharp), bit for bit: the generator and
/// every transform the course's PyTorch code drew through, over many seeds and sizes.
/// </summary>
public class TorchGeneratorTests
{
    private static readonly long[] Seeds = [0, 1, 7, 42, 1234, 99_991, 2_147_483_647, 4_000_000_000_123L, -5];

    [Fact]
    public void Int64_random_draws_equal_libtorch_random_on_the_global_generator()
    {
        foreach (var seed in Seeds)
        {
            manual_seed(seed);
            var managed = new TorchGenerator(seed);
            for (var i = 0; i < 700; i++) // past one MT19937 regeneration (624 words = 312 draws)
                Assert.Equal(DataLoaderShuffle.DrawSeedFromGlobalGenerator(), managed.RandomInt64());
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(10)]
    [InlineData(625)]
    [InlineData(2000)]
    [InlineData(12_000)]
    [InlineData(60_000)]
    public void Randperm_equals_libtorch_randperm(int count)
    {
        foreach (var seed in Seeds)
        {
            var expected = DataLoaderShuffle.Permutation(count, seed);
            var actual = new TorchGenerator(seed).RandPerm(count);
            Assert.True(expected.SequenceEqual(actual.Select(v => (long)v)), $"randperm({count}) with seed {seed} differs");
        }
    }

    [Theory]
    [InlineData(500)]
    [InlineData(60_000)]
    public void Epoch_orders_equal_the_torch_engines_dataloader_orders_over_consecutive_epochs(int count)
    {
        foreach (var seed in new long[] { 42, 7, 123_456 })
        {
            manual_seed(seed);
            var managed = new TorchGenerator(seed);
            for (var epoch = 1; epoch <= 4; epoch++)
            {
                var expected = DataLoaderShuffle.NextEpochOrder(count);
                Assert.True(expected.SequenceEqual(managed.NextEpochOrder(count).Select(v => (long)v)), $"epoch {epoch}, seed {seed}");
            }
        }
    }

    [Theory]
    [InlineData(0.0, 1.0, 1000)]
    [InlineData(-0.5, 0.5, 3001)]
    [InlineData(-0.08748177652797064, 0.08748177652797064, 7840)]
    [InlineData(-3.25, 17.0, 999)]
    [InlineData(1e-3, 2e-3, 4096)]
    public void Float32_uniform_equals_libtorch_uniform_bit_for_bit(double from, double to, int count)
    {
        foreach (var seed in Seeds)
        {
            using var generator = new Generator(0, CPU);
            generator.manual_seed(seed);
            using var values = empty(count, ScalarType.Float32).uniform_(from, to, generator);
            var expected = values.data<float>().ToArray();
            var actual = new float[count];
            new TorchGenerator(seed).UniformFloat32(actual, from, to);
            AssertBits(expected, actual, $"uniform_({from}, {to}) × {count}, seed {seed}");
        }
    }

    /// <summary>Every nn.Linear shape the report builds (Q4's 784→10, 784→200, 200→10, 200→200, 784→100, 100→10; Ames' 348→150, 150→1).</summary>
    public static TheoryData<int, int> LinearShapes => new() { { 784, 10 }, { 784, 200 }, { 200, 10 }, { 200, 200 }, { 784, 100 }, { 100, 10 }, { 348, 150 }, { 150, 1 } };

    [Theory]
    [MemberData(nameof(LinearShapes))]
    public void Linear_init_equals_libtorch_nn_Linear_bit_for_bit(int inputs, int outputs)
    {
        foreach (var seed in Seeds)
        {
            manual_seed(seed);
            using var linear = nn.Linear(inputs, outputs);
            var managed = new TorchGenerator(seed);
            var weight = new float[inputs * outputs];
            var bias = new float[outputs];
            managed.LinearInit(weight, bias, inputs);

            AssertBits(linear.weight!.data<float>().ToArray(), weight, $"Linear({inputs}, {outputs}).weight, seed {seed}");
            AssertBits(linear.bias!.data<float>().ToArray(), bias, $"Linear({inputs}, {outputs}).bias, seed {seed}");
            Assert.Equal(DataLoaderShuffle.DrawSeedFromGlobalGenerator(), managed.RandomInt64()); // the stream stands at the same place after
        }
    }

    /// <summary>
    /// <c>bernoulli_(p)</c> with a scalar p, call after call, on the path libtorch takes on this CPU (MKL's on an Intel
    /// CPU, per element on any other): the managed generator on the same path gives the same elements.
    /// </summary>
    [Theory]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.1)]
    public void Bernoulli_equals_libtorch_bernoulli_with_a_scalar_p(double p)
    {
        foreach (var seed in Seeds)
        {
            using var generator = new Generator(0, CPU);
            generator.manual_seed(seed);
            var managed = new TorchGenerator(seed, TorchBernoulliPaths.ThisCpu);
            foreach (var count in new[] { 1, 200, 801, 5000 }) // consecutive calls; 801 and 5000 are past libtorch's grain of 800
            {
                using var draws = empty(count, ScalarType.Float32).bernoulli_(p, generator);
                var expected = draws.data<float>().ToArray();
                var actual = new float[count];
                managed.FillBernoulli<float>(actual, p, 1f);
                AssertBits(expected, actual, $"bernoulli_({p}) on the {TorchBernoulliPaths.ThisCpu} path ({TorchBernoulliPaths.CpuVendor}), seed {seed}, call of {count}");
            }
        }
    }

    [Fact]
    public void The_per_element_path_draws_one_element_as_a_call_of_one_does()
    {
        foreach (var seed in Seeds)
        {
            var one = new TorchGenerator(seed);
            var filled = new TorchGenerator(seed);
            var single = new float[1];
            for (var i = 0; i < 50; i++)
            {
                filled.FillBernoulli<float>(single, 0.3, 1f);
                Assert.Equal(one.Bernoulli(0.3) ? 1f : 0f, single[0]);
            }
        }
    }

    /// <summary>
    /// Dropout in training mode as the torch engine calls it (nn.Dropout's forward on the global generator), call after call
    /// over several shapes: the managed masks equal libtorch's, element by element and in value, over more than 100,000
    /// draws per rate.
    /// </summary>
    [Theory]
    [InlineData(0.3)]
    [InlineData(0.5)]
    public void Dropout_masks_equal_libtorch_dropout_over_consecutive_calls(double p)
    {
        long[][] shapes = [[1, 200], [1, 100], [16, 200], [3, 7], [1, 200], [64, 150], [1, 1], [2, 200]];
        var total = 0L;
        using var dropout = nn.Dropout(p);
        dropout.train();
        foreach (var seed in new long[] { 42, 3, 2024 })
        {
            manual_seed(seed);
            var managed = new TorchGenerator(seed, TorchBernoulliPaths.ThisCpu);
            for (var round = 0; round < 20; round++)
            {
                foreach (var shape in shapes)
                {
                    using var scope = NewDisposeScope();
                    var input = ones(shape, ScalarType.Float32);
                    var expected = dropout.forward(input).data<float>().ToArray();
                    var mask = new float[expected.Length];
                    managed.FillDropoutMask(mask, p, (float)(1.0 / (1.0 - p)));
                    AssertBits(expected, mask, $"dropout({p}) on [{string.Join(", ", shape)}] on the {TorchBernoulliPaths.ThisCpu} path ({TorchBernoulliPaths.CpuVendor}), seed {seed}, round {round}");
                    total += mask.Length;
                }
            }
            Assert.Equal(DataLoaderShuffle.DrawSeedFromGlobalGenerator(), managed.RandomInt64());
        }
        Assert.True(total >= 100_000, $"only {total} draws compared");
    }

    [Fact]
    public void Discard_skips_as_many_outputs_as_drawing_them()
    {
        var drawn = new TorchGenerator(42);
        var skipped = new TorchGenerator(42);
        for (var i = 0; i < 1500; i++)
            drawn.Random();
        skipped.Discard(1500);
        Assert.Equal(drawn.Random64(), skipped.Random64());
    }

    internal static void AssertBits(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}: element {i} is {actual[i]:R}, libtorch's {expected[i]:R}");
        }
    }
}
