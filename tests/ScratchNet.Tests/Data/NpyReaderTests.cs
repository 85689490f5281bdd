using System.IO.Compression;
using System.Text;
using ScratchNet.Data;

namespace ScratchNet.Tests.Data;

public class NpyReaderTests
{
    private const string Dict = "{{'descr': '{0}', 'fortran_order': {1}, 'shape': {2}, }}";

    private static string Header(string descr, string shape, string fortran = "False") =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, Dict, descr, fortran, shape);

    private static NpyArray ReadBytes(byte[] content)
    {
        using var stream = new MemoryStream(content);
        return NpyReader.Read(stream, "fixture.npy", content.Length);
    }

    private static string ErrorOf(byte[] content) => Assert.Throws<DataException>(() => ReadBytes(content)).Message;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Reads_float64_in_every_format_version(int major)
    {
        var array = ReadBytes(DataFixtures.NpyDoubles([2, 3], [1, 2, 3, 4, 5, -6.25], major));
        Assert.Equal([2, 3], array.Shape);
        Assert.Equal(NpyType.Float64, array.Type);
        Assert.Equal(new double[] { 1, 2, 3, 4, 5, -6.25 }, array.ToDoubleArray());
    }

    [Fact]
    public void Reads_float32_int64_and_uint8()
    {
        var floats = ReadBytes(DataFixtures.Npy(Header("<f4", "(2,)"), [.. BitConverter.GetBytes(1.5f), .. BitConverter.GetBytes(-2f)]));
        Assert.Equal(NpyType.Float32, floats.Type);
        Assert.Equal(new double[] { 1.5, -2 }, floats.ToDoubleArray());
        var longs = ReadBytes(DataFixtures.Npy(Header("<i8", "(1, 2)"), [.. BitConverter.GetBytes(-7L), .. BitConverter.GetBytes(1L << 40)]));
        Assert.Equal(new long[] { -7, 1L << 40 }, (long[])longs.Data);
        var bytes = ReadBytes(DataFixtures.Npy(Header("|u1", "(3,)"), [0, 128, 255]));
        Assert.Equal(new double[] { 0, 128, 255 }, bytes.ToDoubleArray());
    }

    [Fact]
    public void A_scalar_and_an_empty_array_are_read()
    {
        Assert.Equal(new double[] { 4 }, ReadBytes(DataFixtures.Npy(Header("<f8", "()"), BitConverter.GetBytes(4.0))).ToDoubleArray());
        Assert.Empty(ReadBytes(DataFixtures.Npy(Header("<f8", "(0, 3)"), [])).ToDoubleArray());
    }

    [Fact]
    public void Fortran_order_is_rejected() =>
        Assert.Contains("Fortran order", ErrorOf(DataFixtures.Npy(Header("<f8", "(1,)", "True"), new byte[8])), StringComparison.Ordinal);

    [Fact]
    public void Object_arrays_are_rejected() =>
        Assert.Contains("object array", ErrorOf(DataFixtures.Npy(Header("|O", "(1,)"), new byte[8])), StringComparison.Ordinal);

    [Fact]
    public void Big_endian_is_rejected() =>
        Assert.Contains("big-endian", ErrorOf(DataFixtures.Npy(Header(">f8", "(1,)"), new byte[8])), StringComparison.Ordinal);

    [Theory]
    [InlineData("<i4")]
    [InlineData("<c16")]
    [InlineData("<U3")]
    public void Unsupported_dtypes_are_rejected_listing_the_supported_ones(string descr)
    {
        var message = ErrorOf(DataFixtures.Npy(Header(descr, "(1,)"), new byte[16]));
        Assert.Contains($"'{descr}' is not supported", message, StringComparison.Ordinal);
        Assert.Contains("<f8, <f4, <i8 or |u1", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Structured_dtypes_are_rejected() =>
        Assert.Contains("structured dtype", ErrorOf(DataFixtures.Npy("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }", new byte[8])), StringComparison.Ordinal);

    [Fact]
    public void Truncated_data_is_reported_with_the_needed_bytes()
    {
        var message = ErrorOf(DataFixtures.NpyDoubles([4], [1, 2, 3, 4])[..^3]);
        Assert.Contains("truncated: shape (4) needs 32 data bytes, found 29", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trailing_bytes_are_rejected() =>
        Assert.Contains("trailing", ErrorOf([.. DataFixtures.NpyDoubles([1], [1]), 0]), StringComparison.Ordinal);

    [Theory]
    [InlineData("{'descr': '<f8', 'shape': (1,), }", "lacks")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (1, -2), }", "not a dimension")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (1,) ", "malformed")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (99999, 99999, 99999), }", "more elements than an array can hold")]
    public void Malformed_headers_are_rejected(string dict, string expected) =>
        Assert.Contains(expected, ErrorOf(DataFixtures.Npy(dict, new byte[8])), StringComparison.Ordinal);

    [Theory] // found by ParserMutationTests: the header was quoted raw, so a newline in it split the message
    [InlineData("{'descr': '<i8', 'fortran_order'N\n\x02: False, 'shape': (2,), }", "fortran_order'N\\x0A\\x02:")]
    [InlineData("{'descr': '<f8', '\r\n\x85', 'shape': (1,), }", "'\\x0D\\x0A\\x85'")]
    [InlineData("{'descr': '<f\n8', 'fortran_order': False, 'shape': (1,), }", "dtype '<f\\x0A8'")]
    public void Control_characters_in_a_bad_header_are_escaped_so_the_message_stays_one_line(string dict, string expected)
    {
        var error = ErrorOf(DataFixtures.Npy(dict, new byte[8]));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
        Assert.DoesNotContain('\r', error);
    }

    [Fact]
    public void Bad_magic_and_unknown_versions_are_rejected()
    {
        Assert.Contains("not an NPY file", ErrorOf(Encoding.ASCII.GetBytes("PK\x03\x04 not numpy at all")), StringComparison.Ordinal);
        var v9 = DataFixtures.NpyDoubles([1], [1]);
        v9[6] = 9;
        Assert.Contains("version 9.0 is not supported", ErrorOf(v9), StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_shape_in_a_small_file_allocates_nothing_of_that_size()
    {
        var content = DataFixtures.Npy(Header("<f8", "(100000, 1000)"), new byte[16]);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Contains("truncated", ErrorOf(content), StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000);
    }

    [Fact]
    public void Npz_gives_arrays_by_name_without_the_npy_suffix()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("a.npz", DataFixtures.Npz(("x.npy", DataFixtures.NpyDoubles([2], [1, 2])), ("y.npy", DataFixtures.NpyDoubles([1], [3], major: 2))));
        var arrays = NpzReader.Read(path);
        Assert.Equal(new double[] { 1, 2 }, arrays["x"].ToDoubleArray());
        Assert.Equal(new double[] { 3 }, arrays["y"].ToDoubleArray());
        Assert.Contains("a.npz:x.npy", arrays["x"].Name, StringComparison.Ordinal);
    }

    [Fact]
    public void Npz_entry_that_claims_more_than_it_holds_is_a_data_exception()
    {
        // A stored (uncompressed) entry whose zip headers claim 64 more bytes than the entry holds.
        var npy = DataFixtures.NpyDoubles([2], [1, 2]);
        var zip = DataFixtures.Npz(CompressionLevel.NoCompression, ("x.npy", npy));
        DataFixtures.PatchZipSizes(zip, (uint)npy.Length, (uint)npy.Length + 64);
        using var dir = new TempDirectory();
        var error = Assert.Throws<DataException>(() => NpzReader.Read(dir.Write("a.npz", zip)));
        Assert.Contains("a.npz", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_deflate_data_in_an_npz_is_a_data_exception()
    {
        var zip = DataFixtures.Npz(("x.npy", DataFixtures.NpyDoubles([200], Enumerable.Range(0, 200).Select(i => i * 0.5).ToArray())));
        for (var i = 60; i < 200; i += 5)
            zip[i] ^= 0x33;
        using var dir = new TempDirectory();
        Assert.Throws<DataException>(() => NpzReader.Read(dir.Write("a.npz", zip)));
    }

    [Fact]
    public void A_control_character_in_an_npz_entry_name_is_escaped_in_the_message()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("a.npz", DataFixtures.Npz(("x\n.npy", Encoding.ASCII.GetBytes("not numpy"))));
        var error = Assert.Throws<DataException>(() => NpzReader.Read(path));
        Assert.Contains("a.npz:x\\x0A.npy: not an NPY file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_zip_is_a_data_exception()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<DataException>(() => NpzReader.Read(dir.Write("a.npz", Encoding.ASCII.GetBytes("hello"))));
        Assert.Contains("not a readable NPZ", error.Message, StringComparison.Ordinal);
    }
}
