using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ScratchNet.Tests.Data;

/// <summary>A temporary folder, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "scratchnet-test-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, byte[] content)
    {
        var path = File(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>Builds data files in memory: IDX, gzip, NPY, NPZ, CSV (the corrupt variants are made from these).</summary>
internal static class DataFixtures
{
    /// <summary>An IDX file of unsigned bytes: 00 00 08 ndims, big-endian dimensions, data.</summary>
    public static byte[] Idx(int[] dimensions, byte[] data)
    {
        var header = new byte[4 + 4 * dimensions.Length];
        header[2] = 0x08;
        header[3] = (byte)dimensions.Length;
        for (var d = 0; d < dimensions.Length; d++)
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * d), dimensions[d]);
        return [.. header, .. data];
    }

    /// <summary>An IDX header claiming <paramref name="dimensions"/> (unsigned), followed by no data.</summary>
    public static byte[] IdxHeader(params uint[] dimensions)
    {
        var header = new byte[4 + 4 * dimensions.Length];
        header[2] = 0x08;
        header[3] = (byte)dimensions.Length;
        for (var d = 0; d < dimensions.Length; d++)
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4 + 4 * d), dimensions[d]);
        return header;
    }

    public static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
            gzip.Write(content);
        return buffer.ToArray();
    }

    /// <summary>Deterministic pseudo-random bytes (a linear congruential sequence).</summary>
    public static byte[] Bytes(int count, int seed = 1, int modulo = 256)
    {
        var bytes = new byte[count];
        var state = (uint)seed;
        for (var i = 0; i < count; i++)
        {
            state = state * 1664525 + 1013904223;
            bytes[i] = (byte)((state >> 24) % (uint)modulo);
        }
        return bytes;
    }

    /// <summary>An NPY file with the given header dict and raw data, in format <paramref name="major"/> (1, 2 or 3).</summary>
    public static byte[] Npy(string dict, byte[] data, int major = 1)
    {
        var prefixLength = major == 1 ? 10 : 12;
        var total = prefixLength + dict.Length + 1;
        var padded = dict + new string(' ', (64 - total % 64) % 64) + "\n";
        var header = Encoding.Latin1.GetBytes(padded);
        var prefix = new byte[prefixLength];
        prefix[0] = 0x93;
        "NUMPY"u8.CopyTo(prefix.AsSpan(1));
        prefix[6] = (byte)major;
        if (major == 1)
            BinaryPrimitives.WriteUInt16LittleEndian(prefix.AsSpan(8), (ushort)header.Length);
        else
            BinaryPrimitives.WriteUInt32LittleEndian(prefix.AsSpan(8), (uint)header.Length);
        return [.. prefix, .. header, .. data];
    }

    public static byte[] NpyDoubles(int[] shape, double[] values, int major = 1) =>
        Npy($"{{'descr': '<f8', 'fortran_order': False, 'shape': ({string.Join(", ", shape)}{(shape.Length == 1 ? "," : "")}), }}",
            values.SelectMany(BitConverter.GetBytes).ToArray(), major);

    public static byte[] Npz(params (string Name, byte[] Content)[] entries) => Npz(CompressionLevel.Optimal, entries);

    public static byte[] Npz(CompressionLevel level, params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = zip.CreateEntry(name, level).Open();
                stream.Write(content);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>Rewrites every little-endian uncompressed-size field equal to <paramref name="from"/> (local and central zip headers).</summary>
    public static byte[] PatchZipSizes(byte[] zip, uint from, uint to)
    {
        ReadOnlySpan<byte> local = [0x50, 0x4b, 0x03, 0x04];
        ReadOnlySpan<byte> central = [0x50, 0x4b, 0x01, 0x02];
        for (var i = 0; i + 30 < zip.Length; i++)
        {
            var offset = zip.AsSpan(i, 4).SequenceEqual(local) ? 22 : zip.AsSpan(i, 4).SequenceEqual(central) ? 24 : -1;
            if (offset > 0 && BitConverter.ToUInt32(zip, i + offset) == from)
                BitConverter.GetBytes(to).CopyTo(zip, i + offset);
        }
        return zip;
    }
}
