using ScratchNet.Tensors;

namespace ScratchNet.Tests.Tensors;

public class ActivationsTests
{
    [Fact]
    public void Relu_backward_matches_the_naive_twin_for_every_length_up_to_70()
    {
        var random = new Random(11);
        for (int length = 0; length <= 70; length++)
        {
            float[] z = TestData.Random<float>(random, length, zeroFraction: 0.1);
            double[] zd = z.Select(v => (double)v).ToArray();
            float[] da = TestData.Random<float>(random, length), dz = new float[length], a = new float[length];
            double[] dad = da.Select(v => (double)v).ToArray(), dzd = new double[length];
            Activations.ReluBackward<float>(z, da, dz);
            Activations.ReluBackward<double>(zd, dad, dzd);
            Activations.Relu<float>(z, a);
            float[] fromOutput = new float[length];
            Activations.ReluBackward<float>(a, da, fromOutput);
            for (int i = 0; i < length; i++)
            {
                Assert.Equal(Reference.ReluBackward(z[i], da[i]), dz[i]);
                Assert.Equal(Reference.ReluBackward(zd[i], dad[i]), dzd[i]);
                Assert.Equal(Math.Max(z[i], 0f), a[i]);
            }
            Assert.Equal(dz, fromOutput);
        }
    }

    [Fact]
    public void Relu_backward_in_place_over_the_upstream_gradient()
    {
        float[] z = [-1, 2, 0, 3, -4, 5, 6, -7, 8, 9];
        float[] grad = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
        Activations.ReluBackward<float>(z, grad, grad);
        Assert.Equal([0f, 1, 0, 1, 0, 1, 1, 0, 1, 1], grad);
        Assert.Throws<ArgumentException>(() => Activations.ReluBackward<float>(z, grad, grad.AsSpan(1).ToArray()));
        Assert.Throws<ArgumentException>(() => Activations.ReluBackward<float>(z.AsSpan(0, 9), grad.AsSpan(0, 9), grad.AsSpan(1, 9)));
    }

    [Fact]
    public void Tanh_backward_from_output_and_from_input_match_the_finite_difference()
    {
        var random = new Random(13);
        for (int length = 0; length <= 40; length++)
        {
            double[] z = TestData.Random<double>(random, length).Select(v => v * 4).ToArray();
            double[] da = TestData.Random<double>(random, length);
            double[] a = new double[length], fromOutput = new double[length], fromInput = new double[length];
            Activations.Tanh<double>(z, a);
            Activations.TanhBackwardFromOutput<double>(a, da, fromOutput);
            Activations.TanhBackwardFromInput<double>(z, da, fromInput);
            for (int i = 0; i < length; i++)
            {
                const double h = 1e-6;
                double numeric = da[i] * (Math.Tanh(z[i] + h) - Math.Tanh(z[i] - h)) / (2 * h);
                Assert.Equal(numeric, fromOutput[i], 1e-8);
                Assert.Equal(fromOutput[i], fromInput[i], 1e-14);
            }
        }
        float[] af = [0.5f, -0.25f, 0.9f, 0f, 1f, -1f, 0.1f, 0.2f, 0.3f];
        float[] daf = [1, 2, 3, 4, 5, 6, 7, 8, 9], dzf = new float[9];
        Activations.TanhBackwardFromOutput<float>(af, daf, dzf);
        for (int i = 0; i < 9; i++)
            Assert.Equal(daf[i] * (1 - af[i] * af[i]), dzf[i], 1e-6f);
    }
}
