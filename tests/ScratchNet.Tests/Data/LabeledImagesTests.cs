using ScratchNet.Data;

namespace ScratchNet.Tests.Data;

public class LabeledImagesTests
{
    // 4 images of 3 pixels; image i holds pixels 10i, 10i+1, 10i+2.
    private static LabeledImages Four() => new([0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32], [3, 1, 0, 2], features: 3, classes: 4);

    [Fact]
    public void Exposes_rows_labels_and_shape()
    {
        var images = Four();
        Assert.Equal((4, 3, 4), (images.Count, images.Features, images.Classes));
        Assert.Equal(new byte[] { 20, 21, 22 }, images.Pixels(2).ToArray());
        Assert.Equal(2, images.Label(3));
        Assert.Equal(12, images.AllPixels.Length);
        Assert.Equal(new byte[] { 3, 1, 0, 2 }, images.Labels.ToArray());
        Assert.Equal([1, 1, 1, 1], images.ClassCounts());
        Assert.Equal(1.0 / 256, LabeledImages.PixelScale);
    }

    [Fact]
    public void Take_is_a_prefix_view()
    {
        var first = Four().Take(2);
        Assert.Equal(2, first.Count);
        Assert.Equal(new byte[] { 0, 1, 2, 10, 11, 12 }, first.AllPixels.ToArray());
        Assert.Equal(new byte[] { 3, 1 }, first.Labels.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => first.Pixels(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Four().Take(5));
    }

    [Fact]
    public void Subset_keeps_the_given_order_and_allows_repeats()
    {
        var subset = Four().Subset([3, 0, 3]);
        Assert.Equal(new byte[] { 30, 31, 32, 0, 1, 2, 30, 31, 32 }, subset.AllPixels.ToArray());
        Assert.Equal(new byte[] { 2, 3, 2 }, subset.Labels.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => Four().Subset([4]));
    }

    [Fact]
    public void Subset_of_a_view_indexes_the_view()
    {
        var view = Four().Subset([2, 3]).Take(2);
        Assert.Equal(new byte[] { 30, 31, 32 }, view.Subset([1]).AllPixels.ToArray());
    }

    [Fact]
    public void Constructor_rejects_bad_lengths_and_labels()
    {
        Assert.Throws<ArgumentException>(() => new LabeledImages(new byte[5], new byte[2], features: 3));
        var error = Assert.Throws<ArgumentException>(() => new LabeledImages(new byte[6], [1, 10], features: 3));
        Assert.Contains("labels[1] = 10", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LabeledImages([], [], features: 0));
    }

    [Fact]
    public void Regression_set_exposes_rows_and_targets()
    {
        var set = new RegressionSet([1, 2, 3, 4, 5, 6], [0.5, 1.5], featureCount: 3);
        Assert.Equal((2, 3), (set.Count, set.FeatureCount));
        Assert.Equal(new double[] { 4, 5, 6 }, set.Row(1).ToArray());
        Assert.Equal(1.5, set.Target(1));
        Assert.Equal(6, set.AllFeatures.Length);
        Assert.Throws<ArgumentException>(() => new RegressionSet([1, 2, 3], [0.5, 1.5], featureCount: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Row(2));
    }
}
