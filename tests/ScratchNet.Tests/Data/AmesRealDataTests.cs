using ScratchNet.Data;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Data;

public sealed class AmesFixture
{
    public AmesFixture()
    {
        Npz = AmesHousing.LoadNpz(RealData.RequireAmes(AmesHousing.NpzName));
        Csv = AmesHousing.LoadCsv(RealData.RequireAmes("AmesHousing.csv"));
    }

    public AmesHousing Npz { get; }
    public AmesHousing Csv { get; }
}

public class AmesRealDataTests(AmesFixture fixture, ITestOutputHelper output) : IClassFixture<AmesFixture>
{
    private const int NumericColumns = 37;

    [Fact]
    public void Npz_has_the_course_shapes()
    {
        var ames = fixture.Npz;
        Assert.Equal((1465, 348), (ames.Train.Count, ames.Train.FeatureCount));
        Assert.Equal((1465, 348), (ames.Test.Count, ames.Test.FeatureCount));
        for (var row = 0; row < ames.Train.Count; row++)
            Assert.Equal(43.0, System.Numerics.Tensors.TensorPrimitives.Sum(ames.Train.Row(row)[NumericColumns..]));
    }

    [Fact]
    public void Npz_y_is_log_price_in_the_range_numpy_reports()
    {
        // numpy: z['ytrain'].min(), .max(), z['ytest'].min(), .max()
        Assert.Equal(9.45634070543332, fixture.Npz.Train.Targets.ToArray().Min());
        Assert.Equal(13.329377546788654, fixture.Npz.Train.Targets.ToArray().Max());
        Assert.Equal(9.480367509189243, fixture.Npz.Test.Targets.ToArray().Min());
        Assert.Equal(13.534473028231162, fixture.Npz.Test.Targets.ToArray().Max());
    }

    [Fact]
    public void Csv_pipeline_gives_the_course_shapes_and_311_indicators()
    {
        Assert.Equal((1465, 348), (fixture.Csv.Train.Count, fixture.Csv.Train.FeatureCount));
        Assert.Equal((1465, 348), (fixture.Csv.Test.Count, fixture.Csv.Test.FeatureCount));
        Assert.Equal(AmesSchema.CourseIndicators, fixture.Csv.FeatureNames.Count - NumericColumns);
    }

    [Fact]
    public void Csv_pipeline_matches_the_npz_block_by_block()
    {
        var (numeric, indicators, targets) = (0.0, 0.0, 0.0);
        foreach (var (csv, npz) in new[] { (fixture.Csv.Train, fixture.Npz.Train), (fixture.Csv.Test, fixture.Npz.Test) })
        {
            for (var row = 0; row < npz.Count; row++)
            {
                var a = csv.Row(row);
                var b = npz.Row(row);
                for (var j = 0; j < a.Length; j++)
                {
                    var difference = Math.Abs(a[j] - b[j]);
                    if (j < NumericColumns)
                        numeric = Math.Max(numeric, difference);
                    else
                        indicators = Math.Max(indicators, difference);
                }
                targets = Math.Max(targets, Math.Abs(csv.Target(row) - npz.Target(row)));
            }
        }
        output.WriteLine($"max |csv - npz|: numeric block {numeric:E3}, indicator block {indicators:E3}, y {targets:E3}");
        // Measured: bit-identical in all three blocks (docs/data.md); any difference means the pipeline drifted.
        Assert.Equal(0.0, numeric);
        Assert.Equal(0.0, indicators);
        Assert.Equal(0.0, targets);
    }
}
