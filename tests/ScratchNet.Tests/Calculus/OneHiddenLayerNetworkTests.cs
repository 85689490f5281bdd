using ScratchNet.Calculus;

namespace ScratchNet.Tests.Calculus;

/// <summary>Report 1.5, second part: with a hidden layer the loss is not convex in the parameters.</summary>
public class OneHiddenLayerNetworkTests
{
    private const int Inputs = 3, Hidden = 4, Classes = 3;

    [Fact]
    public void Forward_matches_a_hand_computed_network()
    {
        // D = 1, H = 2, K = 1: W = [1, -2], c = [0, 1], V = [3, 5], b = [0.5].
        double[] theta = [1, -2, 0, 1, 3, 5, 0.5];
        var z = new double[1];
        OneHiddenLayerNetwork.Forward(theta, [0.7], 2, z);
        Assert.Equal((3 * Math.Tanh(0.7)) + (5 * Math.Tanh(-1.4 + 1)) + 0.5, z[0], 1e-15);
    }

    [Fact]
    public void Sign_flipped_weights_compute_the_same_function()
    {
        var random = new Random(3);
        for (var trial = 0; trial < 100; trial++)
        {
            var theta = RandomPoints.Normals(random, OneHiddenLayerNetwork.ParameterCount(Inputs, Hidden, Classes), scale: 2);
            var x = RandomPoints.Normals(random, Inputs, scale: 3);
            var flipped = OneHiddenLayerNetwork.SignFlipped(theta, Classes);
            Assert.NotEqual(theta, flipped);
            var (z, zFlipped) = (new double[Classes], new double[Classes]);
            OneHiddenLayerNetwork.Forward(theta, x, Hidden, z);
            OneHiddenLayerNetwork.Forward(flipped, x, Hidden, zFlipped);
            Assert.Equal(z, zFlipped); // tanh is odd in IEEE arithmetic too: bit-for-bit equal
        }
    }

    [Fact]
    public void The_counter_example_really_violates_the_midpoint_inequality()
    {
        var random = new Random(11);
        for (var trial = 0; trial < 200; trial++)
        {
            var x = RandomPoints.Normals(random, Inputs, scale: 3);
            var y = random.Next(Classes);
            var b = RandomPoints.Normals(random, Classes);
            var example = OneHiddenLayerNetwork.CounterExample(x, y, b, Hidden);

            // Recompute independently of the record: the loss on the line θ → θ̃ at t = 0, ½, 1.
            var loss = (double[] parameters) =>
            {
                var z = new double[Classes];
                OneHiddenLayerNetwork.Forward(parameters, x, Hidden, z);
                return MultinomialLogisticLoss.Value(z, y);
            };
            var gap = ConvexityCheck.MidpointGap(loss, example.Theta, example.FlippedTheta);
            Assert.True(gap > 0, $"trial {trial}: midpoint gap {gap} should be > 0");
            Assert.Equal(loss(example.Theta), loss(example.FlippedTheta));
            Assert.Equal(MultinomialLogisticLoss.Value(b, y), example.MidpointLoss, 1e-15); // midpoint = (0, 0, 0, b): z = b
            Assert.True(example.Gap > 0);
        }
    }

    [Fact]
    public void Random_segments_find_violations_where_the_affine_model_finds_none()
    {
        double[] x = [0.5, -1, 2];
        double NetworkLoss(double[] theta)
        {
            var z = new double[Classes];
            OneHiddenLayerNetwork.Forward(theta, x, Hidden, z);
            return MultinomialLogisticLoss.Value(z, 1);
        }
        var check = ConvexityCheck.Midpoint(NetworkLoss,
            r => RandomPoints.Normals(r, OneHiddenLayerNetwork.ParameterCount(Inputs, Hidden, Classes), scale: 3), lines: 300, new Random(5));
        Assert.True(check.Violations > 0, "no violating segment found among 300");
        Assert.True(ConvexityCheck.MidpointGap(NetworkLoss, check.WorstA, check.WorstB) > ConvexityCheck.DefaultMidpointTolerance);
    }
}
