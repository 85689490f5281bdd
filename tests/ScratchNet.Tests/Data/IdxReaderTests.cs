using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ScratchNet.Data;

namespace ScratchNet.Tests.Data;

public class IdxReaderTests
{
    private static readonly byte[] Pixels = DataFixtures.Bytes(3 * 4 * 5, seed: 7);

    private static string Sha(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    [Fact]
    public void Raw_file_gives_dimensions_data_and_content_hash()
    {
        using var dir = new TempDirectory();
        var content = DataFixtures.Idx([3, 4, 5], Pixels);
        var array = IdxReader.Read(dir.Write("images", content), 3);
        Assert.Equal([3, 4, 5], array.Dimensions);
        Assert.Equal(Pixels, array.Data);
        Assert.Equal(Sha(content), array.Sha256);
    }

    [Fact]
    public void Gzip_file_is_detected_by_magic_and_hashed_decompressed()
    {
        using var dir = new TempDirectory();
        var content = DataFixtures.Idx([3, 4, 5], Pixels);
        var array = IdxReader.Read(dir.Write("images.bin", DataFixtures.Gzip(content)), 3); // no .gz suffix: magic decides
        Assert.Equal(Pixels, array.Data);
        Assert.Equal(Sha(content), array.Sha256);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x00, 0x09, 0x01 }, "00 00 08 01")] // signed bytes
    [InlineData(new byte[] { 0x01, 0x00, 0x08, 0x01 }, "00 00 08 01")]
    [InlineData(new byte[] { 0x00, 0x00, 0x08, 0x03 }, "00 00 08 01")] // 3 dimensions where 1 is expected
    public void Wrong_magic_names_expected_and_found(byte[] magic, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.Write("labels", [.. magic, 0, 0, 0, 1, 5]);
        var error = Assert.Throws<DataException>(() => IdxReader.Read(path, 1));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexString(magic), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Truncated_data_is_reported_with_counts(bool gzip)
    {
        using var dir = new TempDirectory();
        var content = DataFixtures.Idx([3, 4, 5], Pixels)[..^7];
        var path = dir.Write("images", gzip ? DataFixtures.Gzip(content) : content);
        var error = Assert.Throws<DataException>(() => IdxReader.Read(path, 3, "reinstall it"));
        Assert.Contains("60", error.Message, StringComparison.Ordinal); // the declared data bytes
        Assert.EndsWith("reinstall it.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Trailing_bytes_are_an_error(bool gzip)
    {
        using var dir = new TempDirectory();
        byte[] content = [.. DataFixtures.Idx([3, 4, 5], Pixels), 1, 2];
        var path = dir.Write("images", gzip ? DataFixtures.Gzip(content) : content);
        var error = Assert.Throws<DataException>(() => IdxReader.Read(path, 3));
        Assert.Contains(gzip ? "the content has 78 bytes" : "has trailing bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_header_is_an_error()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("images", DataFixtures.IdxHeader(60000, 28, 28)[..9]);
        var error = Assert.Throws<DataException>(() => IdxReader.Read(path, 3));
        Assert.Contains("header", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_header_claiming_more_than_the_file_holds_allocates_nothing_of_that_size(bool gzip)
    {
        using var dir = new TempDirectory();
        byte[] content = [.. DataFixtures.IdxHeader(60000, 28, 28), .. Pixels];
        var path = dir.Write("images", gzip ? DataFixtures.Gzip(content) : content);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<DataException>(() => IdxReader.Read(path, 3));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 2_000_000, $"allocated {allocated} bytes for a header claiming 47 MB in a {content.Length}-byte file");
    }

    [Fact]
    public void Dimension_products_that_overflow_are_errors()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("images", DataFixtures.IdxHeader(65536, 65536, 65536));
        var error = Assert.Throws<DataException>(() => IdxReader.Read(path, 3));
        Assert.Contains("65536 x 65536", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dimension_above_int_max_is_an_error()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("labels", DataFixtures.IdxHeader(uint.MaxValue));
        var error = Assert.Throws<DataException>(() => IdxReader.Read(path, 1));
        Assert.Contains(uint.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_gzip_stream_is_a_data_exception()
    {
        using var dir = new TempDirectory();
        var gz = DataFixtures.Gzip(DataFixtures.Idx([300, 20], DataFixtures.Bytes(6000, seed: 3)));
        for (var i = 20; i < gz.Length - 12; i += 3)
            gz[i] ^= 0x5a;
        var path = dir.Write("images.gz", gz);
        var error = Assert.Throws<DataException>(() => IdxReader.Read(path, 2));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_a_data_exception()
    {
        using var dir = new TempDirectory();
        Assert.Throws<DataException>(() => IdxReader.Read(dir.File("nope"), 1));
    }

    [Property(MaxTest = 60)]
    public Property Round_trips_any_shape_raw_and_gzip(PositiveInt rows, PositiveInt columns, bool gzip)
    {
        var (r, c) = (rows.Get % 40 + 1, columns.Get % 40 + 1);
        var data = DataFixtures.Bytes(r * c, seed: r * 1000 + c);
        using var dir = new TempDirectory();
        var content = DataFixtures.Idx([r, c], data);
        var array = IdxReader.Read(dir.Write("x", gzip ? DataFixtures.Gzip(content) : content), 2);
        return (array.Data.SequenceEqual(data) && array.Dimensions.SequenceEqual([r, c]) && array.Sha256 == Sha(content)).ToProperty();
    }

    [Property(MaxTest = 80)]
    public Property Every_truncation_of_a_file_is_a_data_exception(PositiveInt cut, bool gzip)
    {
        var content = DataFixtures.Idx([10, 10], DataFixtures.Bytes(100, seed: 5));
        var file = gzip ? DataFixtures.Gzip(content) : content;
        var keep = cut.Get % file.Length; // 0 .. length-1 bytes kept
        using var dir = new TempDirectory();
        var path = dir.Write("x", file[..keep]);
        try
        {
            IdxReader.Read(path, 2);
            return false.Label($"no error for {keep} of {file.Length} bytes");
        }
        catch (DataException)
        {
            return true.ToProperty();
        }
    }
}
