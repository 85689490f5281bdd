using System.IO.Compression;
using ScratchNet.IO;

namespace ScratchNet.Data;

/// <summary>Reads numpy <c>.npz</c> archives: a zip of <c>.npy</c> files, keyed by entry name without <c>.npy</c>.</summary>
public static class NpzReader
{
    /// <summary>deflate cannot expand a byte into more than ~1032 bytes; an entry claiming more is lying.</summary>
    private const long MaxDeflateRatio = 1032;

    public static IReadOnlyDictionary<string, NpyArray> Read(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            using var zip = new ZipArchive(file, ZipArchiveMode.Read);
            var arrays = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries)
            {
                if (entry.FullName.EndsWith('/'))
                    continue;
                var key = entry.FullName.EndsWith(".npy", StringComparison.Ordinal) ? entry.FullName[..^4] : entry.FullName;
                var name = $"{path}:{MessageText.Printable(entry.FullName)}";
                if (entry.Length > entry.CompressedLength * MaxDeflateRatio + 1024)
                    throw new DataException($"{name}: the zip entry claims {entry.Length} bytes, more than its {entry.CompressedLength} compressed bytes can hold; the archive is corrupt, replace it with a good copy.");
                arrays[key] = ReadEntry(entry, name);
            }
            return arrays;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new DataException($"{path}: not a readable NPZ (zip) archive ({MessageText.Printable(e.Message, 300)}); replace it with a good copy.", e);
        }
    }

    private static NpyArray ReadEntry(ZipArchiveEntry entry, string name)
    {
        try
        {
            using var stream = entry.Open();
            var array = NpyReader.Read(stream, name, entry.Length);
            if (stream.ReadByte() >= 0)
                throw new DataException($"{name}: the zip entry holds more than the {entry.Length} bytes it claims; the archive is corrupt, replace it with a good copy.");
            return array;
        }
        catch (DataException) when (HeldBytes(entry) is var held && held < entry.Length)
        {
            // The NPY check measured against the entry's claimed size; the real cause is the zip header's claim.
            throw new DataException($"{name}: the zip entry claims {entry.Length} bytes but holds {held}; the archive is corrupt, replace it with a good copy.");
        }
    }

    /// <summary>How many bytes the entry really decompresses to, counted in chunks (never more than its claim + 1).</summary>
    private static long HeldBytes(ZipArchiveEntry entry)
    {
        var buffer = new byte[1 << 16];
        long held = 0;
        using var stream = entry.Open();
        int read;
        while (held <= entry.Length && (read = stream.Read(buffer)) > 0)
            held += read;
        return held;
    }
}
