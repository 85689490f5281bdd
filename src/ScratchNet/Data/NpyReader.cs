using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace ScratchNet.Data;

/// <summary>
/// Reads numpy <c>.npy</c> files (format versions 1–3): little-endian float64, float32, int64 or uint8 in C order.
/// Fortran order, object arrays, big-endian and other dtypes are rejected; the data length the header implies is
/// checked against the bytes present before anything is allocated.
/// </summary>
public static class NpyReader
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    private const int MaxHeaderLength = 1 << 20;

    public static NpyArray Read(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            return Read(file, path, file.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not EndOfStreamException)
        {
            throw new DataException($"{path}: cannot read ({e.Message}); replace it with a good copy.", e);
        }
    }

    /// <summary>Reads one array of exactly <paramref name="length"/> bytes from <paramref name="stream"/>.</summary>
    public static NpyArray Read(Stream stream, string name, long length)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> prefix = stackalloc byte[12];
        var got = stream.ReadAtLeast(prefix[..10], 10, throwOnEndOfStream: false);
        if (got < 10 || !prefix[..6].SequenceEqual(Magic))
            throw Bad(name, $"not an NPY file: expected the magic \\x93NUMPY, found {Convert.ToHexString(prefix[..Math.Min(got, 6)])}");
        var major = prefix[6];
        int headerLength, prefixLength;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..]);
            prefixLength = 10;
        }
        else if (major is 2 or 3)
        {
            if (stream.ReadAtLeast(prefix[10..], 2, throwOnEndOfStream: false) < 2)
                throw Bad(name, "truncated NPY prefix");
            var claimed = BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..]);
            if (claimed > MaxHeaderLength)
                throw Bad(name, $"NPY header length {claimed} exceeds {MaxHeaderLength}: corrupt file");
            headerLength = (int)claimed;
            prefixLength = 12;
        }
        else
        {
            throw Bad(name, $"NPY format version {major}.{prefix[7]} is not supported (expected 1.0, 2.0 or 3.0)");
        }
        if (prefixLength + headerLength > length)
            throw Bad(name, $"truncated: the NPY header needs {prefixLength + headerLength} bytes, the file has {length}");

        var headerBytes = new byte[headerLength];
        if (stream.ReadAtLeast(headerBytes, headerLength, throwOnEndOfStream: false) < headerLength)
            throw Bad(name, $"truncated NPY header: expected {headerLength} bytes");
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        var (type, shape, count) = NpyHeader.Parse(header, name);

        var itemSize = type switch { NpyType.Float64 or NpyType.Int64 => 8, NpyType.Float32 => 4, _ => 1 };
        var dataLength = count * itemSize;
        var available = length - prefixLength - headerLength;
        if (dataLength > Array.MaxLength)
            throw Bad(name, $"shape {ShapeText(shape)} needs {dataLength} bytes, more than an array can hold: corrupt header");
        if (available != dataLength)
            throw Bad(name, available < dataLength
                ? $"truncated: shape {ShapeText(shape)} needs {dataLength} data bytes, found {available}"
                : $"{available - dataLength} trailing bytes after the {dataLength} data bytes of shape {ShapeText(shape)}");

        Array data = type switch
        {
            NpyType.Float64 => new double[count],
            NpyType.Float32 => new float[count],
            NpyType.Int64 => new long[count],
            _ => new byte[count],
        };
        var bytes = data switch
        {
            double[] d => MemoryMarshal.AsBytes(d.AsSpan()),
            float[] f => MemoryMarshal.AsBytes(f.AsSpan()),
            long[] l => MemoryMarshal.AsBytes(l.AsSpan()),
            _ => ((byte[])data).AsSpan(),
        };
        var filled = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (filled < bytes.Length)
            throw Bad(name, $"truncated: shape {ShapeText(shape)} needs {dataLength} data bytes, the content holds {filled}");
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("NpyReader needs a little-endian machine.");
        return new NpyArray(name, shape, type, data);
    }

    internal static string ShapeText(int[] shape) => $"({string.Join(", ", shape)})";

    internal static DataException Bad(string name, string problem) =>
        new($"{name}: {problem}; replace it with a good copy (numpy: np.save/np.savez of a C-order little-endian array).");
}
