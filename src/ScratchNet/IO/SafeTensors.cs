using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace ScratchNet.IO;

/// <summary>One named tensor of a safetensors file: dtype (<c>F32</c>, <c>F64</c>, <c>I64</c>), shape and raw little-endian bytes.</summary>
public sealed record SafeTensor(string Name, string DType, long[] Shape, byte[] Data)
{
    public static SafeTensor FromFloats(string name, ReadOnlySpan<float> values, params long[] shape) =>
        new(name, "F32", shape, MemoryMarshal.AsBytes(values).ToArray());

    public static SafeTensor FromDoubles(string name, ReadOnlySpan<double> values, params long[] shape) =>
        new(name, "F64", shape, MemoryMarshal.AsBytes(values).ToArray());

    public static SafeTensor FromLongs(string name, ReadOnlySpan<long> values, params long[] shape) =>
        new(name, "I64", shape, MemoryMarshal.AsBytes(values).ToArray());

    public long ElementCount => Shape.Aggregate(1L, (product, dim) => product * dim);

    /// <summary>The values as float64, converting from F32 when needed.</summary>
    public double[] ToDoubles() => DType switch
    {
        "F64" => MemoryMarshal.Cast<byte, double>(Data).ToArray(),
        "F32" => [.. MemoryMarshal.Cast<byte, float>(Data).ToArray().Select(v => (double)v)],
        _ => throw new DataException($"Tensor '{Name}' has dtype {DType}; expected F32 or F64."),
    };

    /// <summary>The values as float32, converting from F64 when needed.</summary>
    public float[] ToFloats() => DType switch
    {
        "F32" => MemoryMarshal.Cast<byte, float>(Data).ToArray(),
        "F64" => [.. MemoryMarshal.Cast<byte, double>(Data).ToArray().Select(v => (float)v)],
        _ => throw new DataException($"Tensor '{Name}' has dtype {DType}; expected F32 or F64."),
    };

    public long[] ToLongs() => DType == "I64"
        ? MemoryMarshal.Cast<byte, long>(Data).ToArray()
        : throw new DataException($"Tensor '{Name}' has dtype {DType}; expected I64.");
}

/// <summary>
/// The safetensors format (as written by Hugging Face's library): an 8-byte little-endian header length, a JSON header
/// mapping names to dtype, shape and byte offsets, then the raw tensors. Reading validates every header field against the
/// real file length before allocating anything sized by it.
/// </summary>
public static class SafeTensors
{
    /// <summary>Headers larger than this are refused (safetensors' own limit is 100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private static readonly Dictionary<string, int> ElementSizes = new() { ["F64"] = 8, ["F32"] = 4, ["I64"] = 8, ["I32"] = 4, ["U8"] = 1 };

    public static void Write(string path, IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        AtomicFile.WriteAllBytes(path, Serialize(tensors, metadata));

    public static byte[] Serialize(IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata)
                    json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var tensor in tensors)
            {
                if (!ElementSizes.TryGetValue(tensor.DType, out var size) || tensor.ElementCount * size != tensor.Data.Length)
                    throw new ArgumentException($"Tensor '{tensor.Name}': {tensor.Data.Length} bytes do not match dtype {tensor.DType} and shape [{string.Join(", ", tensor.Shape)}].");
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.DType);
                json.WriteStartArray("shape");
                foreach (var dim in tensor.Shape)
                    json.WriteNumberValue(dim);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + tensor.Data.Length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += tensor.Data.Length;
            }
            json.WriteEndObject();
        }
        // Pad the header with spaces to a multiple of 8 so the data that follows is aligned.
        var headerLength = (header.Length + 7) / 8 * 8;
        var bytes = new byte[8 + headerLength + tensors.Sum(t => (long)t.Data.Length)];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)headerLength);
        header.GetBuffer().AsSpan(0, (int)header.Length).CopyTo(bytes.AsSpan(8));
        bytes.AsSpan(8 + (int)header.Length, (int)(headerLength - header.Length)).Fill((byte)' ');
        var position = 8 + (int)headerLength;
        foreach (var tensor in tensors)
        {
            tensor.Data.CopyTo(bytes, position);
            position += tensor.Data.Length;
        }
        return bytes;
    }

    public static IReadOnlyList<SafeTensor> Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"Cannot read weights file {path}: {e.Message}", e);
        }
        return Parse(bytes, path);
    }

    public static IReadOnlyList<SafeTensor> Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 8)
            throw Corrupt(source, $"the file has {bytes.Length} bytes, fewer than the 8-byte header length");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes || headerLength > (ulong)(bytes.Length - 8))
            throw Corrupt(source, $"the header claims {headerLength} bytes but the file holds {bytes.Length - 8} after the length field");
        var data = bytes[(8 + (int)headerLength)..];
        var document = ParseHeader(bytes.Slice(8, (int)headerLength), source);

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw Corrupt(source, "the header is not a JSON object");
            var tensors = new List<SafeTensor>();
            try
            {
                foreach (var entry in document.RootElement.EnumerateObject())
                {
                    if (entry.Name == "__metadata__")
                        continue;
                    tensors.Add(ParseTensor(entry, data, source));
                }
            }
            catch (InvalidOperationException e) // a name JSON escapes into invalid UTF-16 (a lone surrogate)
            {
                throw Corrupt(source, $"a tensor name is not valid text ({e.Message})");
            }
            return tensors;
        }
    }

    /// <summary>Reads the <c>__metadata__</c> strings of a safetensors file (empty when it has none).</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 8)
            throw Corrupt(source, "the file is shorter than the 8-byte header length");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes || headerLength > (ulong)(bytes.Length - 8))
            throw Corrupt(source, $"the header claims {headerLength} bytes but the file holds {bytes.Length - 8}");
        using var document = ParseHeader(bytes.Slice(8, (int)headerLength), source);
        try
        {
            var result = new Dictionary<string, string>();
            if (document.RootElement.TryGetProperty("__metadata__", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
            {
                foreach (var item in metadata.EnumerateObject())
                    result[item.Name] = item.Value.GetString() ?? "";
            }
            return result;
        }
        catch (InvalidOperationException e)
        {
            throw Corrupt(source, $"__metadata__ must map names to text strings ({e.Message})");
        }
    }

    /// <summary>The JSON header; invalid UTF-8 is refused up front because JsonDocument only finds it when a string is read.</summary>
    private static JsonDocument ParseHeader(ReadOnlySpan<byte> header, string source)
    {
        if (!Utf8.IsValid(header))
            throw Corrupt(source, "the header is not valid UTF-8 text");
        try
        {
            return JsonDocument.Parse(header.ToArray());
        }
        catch (JsonException e)
        {
            throw Corrupt(source, $"the header is not valid JSON ({e.Message})");
        }
    }

    private static SafeTensor ParseTensor(JsonProperty entry, ReadOnlySpan<byte> data, string source)
    {
        try
        {
            var dtype = entry.Value.GetProperty("dtype").GetString() ?? "";
            if (!ElementSizes.TryGetValue(dtype, out var size))
                throw Corrupt(source, $"tensor '{entry.Name}' has unsupported dtype '{dtype}' (expected one of {string.Join(", ", ElementSizes.Keys)})");
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > data.Length)
                throw Corrupt(source, $"tensor '{entry.Name}' has data offsets [{string.Join(", ", offsets)}] outside the {data.Length} data bytes");
            long count = 1;
            foreach (var dim in shape)
            {
                if (dim < 0 || (dim > 0 && count > long.MaxValue / dim))
                    throw Corrupt(source, $"tensor '{entry.Name}' has an invalid shape [{string.Join(", ", shape)}]");
                count *= dim;
            }
            if (count > (offsets[1] - offsets[0]) / size || count * size != offsets[1] - offsets[0])
                throw Corrupt(source, $"tensor '{entry.Name}' has shape [{string.Join(", ", shape)}] ({dtype}) but {offsets[1] - offsets[0]} data bytes");
            return new SafeTensor(entry.Name, dtype, shape, data[(int)offsets[0]..(int)offsets[1]].ToArray());
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Corrupt(source, $"tensor '{entry.Name}' has a malformed header entry ({e.Message})");
        }
    }

    private static DataException Corrupt(string source, string detail) =>
        new($"{source} is not a valid safetensors file: {MessageText.Printable(detail, 300)}. Re-run the training that wrote it, or point to another run folder.");
}
