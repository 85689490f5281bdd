using System.IO.Compression;
using System.Security.Cryptography;
using ScratchNet.IO;

namespace ScratchNet.Data;

/// <summary>SHA-256 of data files, of the decompressed content for gzip files (what the reference values describe).</summary>
public static class DataHashes
{
    /// <summary>Lowercase hex SHA-256 of the file's content, decompressing it first when it is gzip.</summary>
    public static string Sha256OfContent(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            if (!IdxReader.IsGzip(file))
                return Convert.ToHexStringLower(SHA256.HashData(file));
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            return Convert.ToHexStringLower(SHA256.HashData(gzip));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new DataException($"{path}: cannot read its content ({MessageText.Printable(e.Message, 300)}); the file is corrupt or truncated, replace it.", e);
        }
    }
}
