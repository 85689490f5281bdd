using ScratchNet.Reports.Figures;

namespace ScratchNet.Reports.Tests;

public sealed class FigureTests
{
    [Fact]
    public void The_confusion_matrix_counts_rows_by_true_class_and_columns_by_prediction()
    {
        TestPrediction[] predictions = [new(0, 3, 3), new(1, 3, 5), new(2, 3, 5), new(3, 9, 0), new(4, 0, 0)];
        var counts = ConfusionMatrixFigure.Count(predictions);
        Assert.Equal(1, counts[3, 3]);
        Assert.Equal(2, counts[3, 5]);
        Assert.Equal(1, counts[9, 0]);
        Assert.Equal(1, counts[0, 0]);
        Assert.Equal(predictions.Length, counts.Cast<int>().Sum());
    }

    [Fact]
    public void The_gallery_picks_the_first_errors_in_test_set_order()
    {
        TestPrediction[] predictions = [new(5, 1, 2), new(0, 4, 4), new(2, 7, 9), new(9, 3, 1), new(1, 0, 6)];
        Assert.Equal([1, 2, 5], MisclassifiedGrid.Pick(predictions, 3).Select(p => p.Index));
    }

    [Fact]
    public void A_test_image_of_the_wrong_size_is_rejected_with_its_index()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            MisclassifiedGrid.Draw("grid", "grid", "grid", "grid", [new TestPrediction(7, 1, 2)], _ => new byte[100]));
        Assert.Contains("Test image 7 has 100 bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.87124, 0.8712, true)]
    [InlineData(0.87126, 0.8712, false)]
    [InlineData(0.8711, 0.8712, false)]
    public void Same_means_equal_at_the_reference_s_four_printed_decimals(double reproduced, double reference, bool same) =>
        Assert.Equal(same, Formatting.SameAsPrinted(reproduced, reference, ReportMetric.FinalTestAccuracy));

    [Fact]
    public void Differences_are_signed_at_four_decimals_and_whole_epochs()
    {
        Assert.Equal("+0.0008", Formatting.Difference(0.8712, 0.8704, ReportMetric.FinalTestAccuracy));
        Assert.Equal("-0.0101", Formatting.Difference(0.2281, 0.2382, ReportMetric.FinalTestRmse));
        Assert.Equal("-3", Formatting.Difference(68, 71, ReportMetric.TestRmseArgminEpoch));
    }
}
