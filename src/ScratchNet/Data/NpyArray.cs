namespace ScratchNet.Data;

/// <summary>The element types the NPY reader accepts (all little-endian).</summary>
public enum NpyType
{
    Float64,
    Float32,
    Int64,
    UInt8,
}

/// <summary>
/// An array read from a <c>.npy</c> file: its shape (C order) and its elements, typed by <see cref="Type"/>:
/// <c>double[]</c>, <c>float[]</c>, <c>long[]</c> or <c>byte[]</c>.
/// </summary>
public sealed class NpyArray
{
    internal NpyArray(string name, int[] shape, NpyType type, Array data)
    {
        Name = name;
        Shape = shape;
        Type = type;
        Data = data;
    }

    /// <summary>The file or zip entry it came from.</summary>
    public string Name { get; }
    public IReadOnlyList<int> Shape { get; }
    public NpyType Type { get; }
    public Array Data { get; }
    public int Length => Data.Length;

    /// <summary>The elements as doubles: the array itself for float64, a converted copy otherwise.</summary>
    public double[] ToDoubleArray() => Data switch
    {
        double[] doubles => doubles,
        float[] floats => Array.ConvertAll(floats, value => (double)value),
        long[] longs => Array.ConvertAll(longs, value => (double)value),
        byte[] bytes => Array.ConvertAll(bytes, value => (double)value),
        _ => throw new InvalidOperationException($"unexpected storage {Data.GetType()}"),
    };

    public string ShapeText => $"({string.Join(", ", Shape)})";
}
