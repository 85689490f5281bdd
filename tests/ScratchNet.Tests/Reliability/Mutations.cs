using System.Buffers.Binary;
using System.Text;

namespace ScratchNet.Tests.Reliability;

/// <summary>
/// One edit of a file's bytes. Positions and occurrences wrap modulo what the input holds, so any mutation applies to
/// any input (a generated case never needs the length of the file it will edit).
/// </summary>
public abstract record Mutation
{
    public abstract byte[] Apply(byte[] input);

    protected static int Wrap(int value, int count) => count == 0 ? 0 : (int)((uint)value % (uint)count);

    protected static string Show(byte[] bytes) => Convert.ToHexString(bytes);
}

public sealed record FlipBit(int Position, int Bit) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        if (input.Length == 0)
            return input;
        var output = (byte[])input.Clone();
        output[Wrap(Position, input.Length)] ^= (byte)(1 << (Bit & 7));
        return output;
    }
}

public sealed record OverwriteByte(int Position, byte Value) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        if (input.Length == 0)
            return input;
        var output = (byte[])input.Clone();
        output[Wrap(Position, input.Length)] = Value;
        return output;
    }
}

/// <summary>Keeps the first 0 … length − 1 bytes.</summary>
public sealed record Truncate(int Keep) : Mutation
{
    public override byte[] Apply(byte[] input) => input[..Wrap(Keep, input.Length)];
}

public sealed record InsertBytes(int Position, byte[] Bytes) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        var at = Wrap(Position, input.Length + 1);
        return [.. input.AsSpan(0, at), .. Bytes, .. input.AsSpan(at)];
    }

    public override string ToString() => $"InsertBytes({Position}, {Show(Bytes)} \"{Encoding.Latin1.GetString(Bytes)}\")";
}

public sealed record Extend(byte[] Tail) : Mutation
{
    public override byte[] Apply(byte[] input) => [.. input, .. Tail];

    public override string ToString() => $"Extend({Show(Tail)})";
}

public sealed record DeleteChunk(int Position, int Length) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        var at = Wrap(Position, input.Length);
        var end = Math.Min(input.Length, at + Length);
        return [.. input.AsSpan(0, at), .. input.AsSpan(end)];
    }
}

/// <summary>Copies a chunk of the file and inserts the copy elsewhere in it.</summary>
public sealed record SpliceChunk(int From, int Length, int To) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        var from = Wrap(From, input.Length);
        var chunk = input.AsSpan(from, Math.Min(Length, input.Length - from));
        var to = Wrap(To, input.Length + 1);
        return [.. input.AsSpan(0, to), .. chunk, .. input.AsSpan(to)];
    }
}

/// <summary>Writes the low <see cref="Width"/> bytes of <see cref="Value"/> over a header integer (or anywhere).</summary>
public sealed record WriteInteger(int Position, int Width, bool BigEndian, long Value) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        if (input.Length < Width)
            return input;
        var output = (byte[])input.Clone();
        Span<byte> bytes = stackalloc byte[8];
        if (BigEndian)
            BinaryPrimitives.WriteInt64BigEndian(bytes, Value);
        else
            BinaryPrimitives.WriteInt64LittleEndian(bytes, Value);
        var value = BigEndian ? bytes[(8 - Width)..] : bytes[..Width];
        value.CopyTo(output.AsSpan(Wrap(Position, input.Length - Width + 1)));
        return output;
    }
}
