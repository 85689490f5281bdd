using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using ScratchNet.IO;

namespace ScratchNet.Data;

/// <summary>An IDX array of unsigned bytes, with the SHA-256 of the file's (decompressed) content.</summary>
public sealed record IdxArray(string Path, int[] Dimensions, byte[] Data, string Sha256);

/// <summary>
/// Reads IDX files of unsigned bytes (magic 0x00 0x00 0x08 ndims, big-endian int32 dimensions, then the data),
/// raw or gzip-compressed (detected by the gzip magic 1f 8b). Everything the header claims is checked against the
/// bytes actually present before the data buffer is allocated; the SHA-256 of the decompressed content is computed
/// in the same pass as the read.
/// </summary>
public static class IdxReader
{
    /// <summary>deflate cannot expand a byte into more than ~1032 bytes; a header claiming more is lying.</summary>
    private const long MaxDeflateRatio = 1032;
    private const int ChunkSize = 1 << 16;

    /// <param name="path">The file (raw or .gz).</param>
    /// <param name="dimensions">How many dimensions the caller expects (1 for labels, 3 for images).</param>
    /// <param name="fix">What the user should do when the file is bad; ends every error message.</param>
    public static IdxArray Read(string path, int dimensions, string fix = "replace it with a good copy")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkSize, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"{path}: cannot open ({e.Message}); {fix}.", e);
        }

        using (file)
        {
            try
            {
                return IsGzip(file) ? ReadGzip(file, path, dimensions, fix) : ReadStream(file, path, dimensions, fix, file.Length);
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
            {
                throw new DataException($"{path}: corrupt or truncated ({MessageText.Printable(e.Message, 300)}); {fix}.", e);
            }
        }
    }

    /// <summary>True when the stream starts with the gzip magic bytes 1f 8b; the position is restored.</summary>
    public static bool IsGzip(Stream stream)
    {
        Span<byte> magic = stackalloc byte[2];
        var start = stream.Position;
        var read = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = start;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    private static IdxArray ReadGzip(FileStream file, string path, int dimensions, string fix)
    {
        // The gzip trailer's ISIZE is the decompressed length mod 2^32: a cheap check of the header's claim.
        const int minimumGzip = 18;
        if (file.Length < minimumGzip)
            throw new DataException($"{path}: a gzip file needs at least {minimumGzip} bytes, found {file.Length}; the file is truncated, {fix}.");
        Span<byte> trailer = stackalloc byte[4];
        file.Position = file.Length - 4;
        file.ReadExactly(trailer);
        file.Position = 0;
        var trailerSize = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        using var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
        return ReadStream(gzip, path, dimensions, fix, availableBytes: null, (trailerSize, file.Length));
    }

    private static IdxArray ReadStream(Stream stream, string path, int dimensions, string fix, long? availableBytes,
        (uint TrailerSize, long CompressedLength)? gzip = null)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var headerLength = 4 + 4 * dimensions;
        var header = new byte[headerLength];
        var headerRead = stream.ReadAtLeast(header, headerLength, throwOnEndOfStream: false);
        if (headerRead < 4)
            throw new DataException($"{path}: not an IDX file: {headerRead} bytes, shorter than the 4-byte magic; {fix}.");
        if (header[0] != 0 || header[1] != 0 || header[2] != 0x08 || header[3] != dimensions)
            throw new DataException($"{path}: not an IDX file of unsigned bytes with {dimensions} dimension(s): magic expected " +
                $"00 00 08 {dimensions:X2}, found {Convert.ToHexString(header, 0, 4)}; {fix}.");
        if (headerRead < headerLength)
            throw new DataException($"{path}: truncated IDX header: expected {headerLength} bytes, found {headerRead}; {fix}.");
        sha.AppendData(header);

        var shape = new int[dimensions];
        long dataLength = 1;
        for (var d = 0; d < dimensions; d++)
        {
            var size = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4 + 4 * d));
            if (size > int.MaxValue)
                throw new DataException($"{path}: dimension {d} is {size}, above the maximum {int.MaxValue}; the header is corrupt, {fix}.");
            shape[d] = (int)size;
            dataLength *= size;
            if (dataLength > Array.MaxLength)
                throw new DataException($"{path}: the dimensions {string.Join(" x ", shape.Take(d + 1))} need more than {Array.MaxLength} bytes; the header is corrupt, {fix}.");
        }

        CheckAvailable(path, fix, headerLength, dataLength, availableBytes, gzip);
        var data = new byte[dataLength];
        var filled = 0;
        while (filled < data.Length)
        {
            var read = stream.Read(data, filled, Math.Min(ChunkSize * 4, data.Length - filled));
            if (read == 0)
                throw new DataException($"{path}: truncated: the header {string.Join(" x ", shape)} needs {dataLength} data bytes, found {filled}; {fix}.");
            sha.AppendData(data, filled, read);
            filled += read;
        }
        Span<byte> probe = stackalloc byte[1];
        if (stream.Read(probe) != 0) // for gzip this also makes the stream check its CRC trailer
            throw new DataException($"{path}: trailing bytes after the {dataLength} data bytes the header {string.Join(" x ", shape)} declares; {fix}.");
        return new IdxArray(path, shape, data, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    private static void CheckAvailable(string path, string fix, int headerLength, long dataLength, long? availableBytes,
        (uint TrailerSize, long CompressedLength)? gzip)
    {
        var total = headerLength + dataLength;
        if (availableBytes is { } available && available != total)
        {
            var what = available < total ? "truncated" : "has trailing bytes";
            throw new DataException($"{path}: {what}: the header declares {dataLength} data bytes ({total} in all), the file has {available}; {fix}.");
        }
        if (gzip is { } g)
        {
            if (total > g.CompressedLength * MaxDeflateRatio)
                throw new DataException($"{path}: the header declares {total} bytes, more than {g.CompressedLength} compressed bytes can hold; the file is truncated or corrupt, {fix}.");
            if ((uint)total != g.TrailerSize)
                throw new DataException($"{path}: truncated or corrupt: the header declares {dataLength} data bytes ({total} in all), the gzip trailer says the content has {g.TrailerSize} bytes (mod 2^32); {fix}.");
        }
    }
}
