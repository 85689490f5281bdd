using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using ScratchNet.Data;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Data;

/// <summary>The bundled data/ames/AmesHousing.csv.gz through the CSV pipeline, loaded once per test class.</summary>
public sealed class AmesFixture
{
    public AmesHousing Csv { get; } = AmesHousing.LoadCsv(Path.Combine(RealData.RequireAmes(), "AmesHousing.csv.gz"));
}

/// <summary>
/// The CSV pipeline against the course's ames.npz, which is not in the repository: TestData/ames_npz_digests.json holds
/// the SHA-256 of each of its arrays' bytes (float64, little-endian, row-major) and their ranges, written by
/// TestData/make_ames_npz_digests.py from the course's file with numpy 1.24.
/// </summary>
public class AmesRealDataTests(AmesFixture fixture, ITestOutputHelper output) : IClassFixture<AmesFixture>
{
    private const int NumericColumns = 37;

    private static readonly JsonElement Npz = JsonDocument.Parse(File.ReadAllText(TestPaths.TestData("ames_npz_digests.json"))).RootElement.GetProperty("arrays");

    [Fact]
    public void The_bundled_csv_is_De_Cocks_file()
    {
        Assert.Equal(AmesHousing.ReferenceSha256, fixture.Csv.Sha256);
        Assert.True(fixture.Csv.Verified);
        Assert.Equal(AmesHousing.ReferenceSha256, DataHashes.Sha256OfContent(RealData.AmesCsv));
    }

    [Fact]
    public void Csv_pipeline_gives_the_course_shapes_and_311_indicators()
    {
        Assert.Equal((1465, 348), (fixture.Csv.Train.Count, fixture.Csv.Train.FeatureCount));
        Assert.Equal((1465, 348), (fixture.Csv.Test.Count, fixture.Csv.Test.FeatureCount));
        Assert.Equal(AmesSchema.CourseIndicators, fixture.Csv.FeatureNames.Count - NumericColumns);
        for (var row = 0; row < fixture.Csv.Train.Count; row++)
            Assert.Equal(43.0, System.Numerics.Tensors.TensorPrimitives.Sum(fixture.Csv.Train.Row(row)[NumericColumns..]));
    }

    [Theory]
    [InlineData("Xtrain")]
    [InlineData("ytrain")]
    [InlineData("Xtest")]
    [InlineData("ytest")]
    public void Csv_pipeline_rebuilds_each_array_of_the_course_npz_bit_for_bit(string name)
    {
        var set = name.EndsWith("train", StringComparison.Ordinal) ? fixture.Csv.Train : fixture.Csv.Test;
        var values = name.StartsWith('X') ? set.AllFeatures : set.Targets;
        var expected = Npz.GetProperty(name);
        var shape = expected.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        Assert.Equal(shape.Aggregate(1L, (a, b) => a * b), values.Length);
        Assert.Equal(shape[0], set.Count);
        Assert.True(BitConverter.IsLittleEndian, "the digests are of little-endian float64 bytes");
        var sha = Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(values)));
        output.WriteLine($"{name}: pipeline {sha}, course npz {expected.GetProperty("sha256").GetString()}");
        Assert.Equal(expected.GetProperty("sha256").GetString(), sha);
        Assert.Equal(expected.GetProperty("min").GetDouble(), System.Numerics.Tensors.TensorPrimitives.Min(values));
        Assert.Equal(expected.GetProperty("max").GetDouble(), System.Numerics.Tensors.TensorPrimitives.Max(values));
    }

    [Fact]
    public void A_changed_value_changes_the_digest()
    {
        // The comparison above can fail: one ulp in one element gives another SHA-256.
        var x = fixture.Csv.Test.AllFeatures.ToArray();
        x[12345] = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(x[12345]) + 1);
        var sha = Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(x.AsSpan())));
        Assert.NotEqual(Npz.GetProperty("Xtest").GetProperty("sha256").GetString(), sha);
    }
}
