using ScratchNet.Calculus;

namespace ScratchNet.Tests.Calculus;

public class ConvexityCheckTests
{
    private static double[] Point(Random random) => RandomPoints.Normals(random, 2, scale: 3);

    [Fact]
    public void A_convex_quadratic_passes_and_a_saddle_is_caught()
    {
        var bowl = ConvexityCheck.Midpoint(x => (x[0] * x[0]) + (3 * x[1] * x[1]), Point, 500, new Random(1));
        Assert.True(bowl.ConsistentWithConvexity);
        Assert.True(bowl.WorstGap <= 0);

        var saddle = ConvexityCheck.Midpoint(x => (x[0] * x[0]) - (x[1] * x[1]), Point, 500, new Random(1));
        Assert.False(saddle.ConsistentWithConvexity);
        Assert.True(saddle.Violations is > 100 and < 400, $"{saddle.Violations} of 500"); // about half the directions
        Assert.True(ConvexityCheck.MidpointGap(x => (x[0] * x[0]) - (x[1] * x[1]), saddle.WorstA, saddle.WorstB) > 0);
    }

    [Fact]
    public void Midpoint_gap_of_a_known_segment()
    {
        // f = x², segment [−1, 3]: f(1) − (1 + 9)/2 = −4, scaled by max(1, |f|) = 9.
        Assert.Equal(-4.0 / 9, ConvexityCheck.MidpointGap(x => x[0] * x[0], [-1], [3]), 1e-15);
        Assert.Equal(4.0 / 9, ConvexityCheck.MidpointGap(x => -x[0] * x[0], [-1], [3]), 1e-15);
    }

    [Fact]
    public void Positive_semidefiniteness_by_the_smallest_eigenvalue()
    {
        Assert.True(ConvexityCheck.IsPositiveSemidefinite([2, 1, 1, 2], 2));   // eigenvalues 1, 3
        Assert.True(ConvexityCheck.IsPositiveSemidefinite([1, 1, 1, 1], 2));   // 0, 2: semi-definite
        Assert.False(ConvexityCheck.IsPositiveSemidefinite([1, 2, 2, 1], 2));  // −1, 3
        Assert.False(ConvexityCheck.IsPositiveSemidefinite([1e6, 0, 0, -1e-3], 2)); // small but real negative
        Assert.Equal(-1, ConvexityCheck.SmallestEigenvalue([1, 2, 2, 1], 2), 1e-14);
    }
}
