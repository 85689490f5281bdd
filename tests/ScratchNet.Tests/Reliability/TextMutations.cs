using System.Text;

namespace ScratchNet.Tests.Reliability;

/// <summary>Replaces the n-th number in the text (digits with an optional sign, fraction and exponent).</summary>
public sealed record ReplaceNumber(int Occurrence, string Text) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        var numbers = Numbers(input);
        if (numbers.Count == 0)
            return input;
        var (start, end) = numbers[Wrap(Occurrence, numbers.Count)];
        return [.. input.AsSpan(0, start), .. Encoding.UTF8.GetBytes(Text), .. input.AsSpan(end)];
    }

    private static List<(int Start, int End)> Numbers(byte[] text)
    {
        var found = new List<(int, int)>();
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsAsciiDigit((char)text[i]))
            {
                i++;
                continue;
            }
            var start = i > 0 && text[i - 1] == '-' ? i - 1 : i;
            while (i < text.Length && (char.IsAsciiDigit((char)text[i]) || text[i] is (byte)'.' or (byte)'e' or (byte)'E'
                       || (text[i] is (byte)'+' or (byte)'-' && text[i - 1] is (byte)'e' or (byte)'E')))
                i++;
            found.Add((start, i));
        }
        return found;
    }
}

/// <summary>Deletes the n-th occurrence of a structural character (delimiter, quote, bracket, newline …).</summary>
public sealed record DropSymbol(char Symbol, int Occurrence) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        var at = TextEdits.NthIndex(input, (byte)Symbol, Occurrence);
        return at < 0 ? input : [.. input.AsSpan(0, at), .. input.AsSpan(at + 1)];
    }
}

/// <summary>Doubles the n-th occurrence of a structural character.</summary>
public sealed record DuplicateSymbol(char Symbol, int Occurrence) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        var at = TextEdits.NthIndex(input, (byte)Symbol, Occurrence);
        return at < 0 ? input : [.. input.AsSpan(0, at + 1), .. input.AsSpan(at)];
    }
}

/// <summary>Duplicates or deletes the n-th line (with its newline).</summary>
public sealed record EditLine(int Line, bool Delete) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] == '\n' && i + 1 < input.Length)
                starts.Add(i + 1);
        }
        var line = Wrap(Line, starts.Count);
        var (start, end) = (starts[line], line + 1 < starts.Count ? starts[line + 1] : input.Length);
        return Delete
            ? [.. input.AsSpan(0, start), .. input.AsSpan(end)]
            : [.. input.AsSpan(0, end), .. input.AsSpan(start, end - start), .. input.AsSpan(end)];
    }
}

/// <summary>Replaces the n-th CSV cell (a run between delimiters, quotes and newlines) with other text.</summary>
public sealed record ReplaceCell(int Occurrence, string Text) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        var cells = new List<(int Start, int End)>();
        var start = 0;
        for (var i = 0; i <= input.Length; i++)
        {
            if (i == input.Length || input[i] is (byte)',' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'"')
            {
                cells.Add((start, i));
                start = i + 1;
            }
        }
        var (from, to) = cells[Wrap(Occurrence, cells.Count)];
        return [.. input.AsSpan(0, from), .. Encoding.UTF8.GetBytes(Text), .. input.AsSpan(to)];
    }
}

/// <summary>Replaces the n-th quoted string or bracketed list (quotes/brackets included) with other JSON text:
/// <c>"name": "x"</c> becomes <c>"name": null</c>, <c>"shape": [2, 3]</c> becomes <c>"shape": []</c>.</summary>
public sealed record ReplaceValue(char Open, int Occurrence, string Text) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        var close = Open == '[' ? (byte)']' : (byte)'"';
        var start = TextEdits.NthIndex(input, (byte)Open, Occurrence);
        if (start < 0)
            return input;
        var end = Array.IndexOf(input, close, start + 1);
        if (end < 0)
            return input;
        return [.. input.AsSpan(0, start), .. Encoding.UTF8.GetBytes(Text), .. input.AsSpan(end + 1)];
    }
}

/// <summary>Prefixes the UTF-8 byte order mark.</summary>
public sealed record AddByteOrderMark : Mutation
{
    public override byte[] Apply(byte[] input) => [0xEF, 0xBB, 0xBF, .. input];
}

/// <summary>Turns every LF into CRLF (or, with <see cref="CarriageReturnOnly"/>, into a lone CR).</summary>
public sealed record ChangeNewlines(bool CarriageReturnOnly) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        var output = new List<byte>(input.Length * 2);
        foreach (var b in input)
        {
            if (b != '\n')
                output.Add(b);
            else if (CarriageReturnOnly)
                output.Add((byte)'\r');
            else
                output.AddRange("\r\n"u8);
        }
        return [.. output];
    }
}

internal static class TextEdits
{
    public static int NthIndex(byte[] input, byte symbol, int occurrence)
    {
        var count = input.AsSpan().Count(symbol);
        if (count == 0)
            return -1;
        var wanted = (int)((uint)occurrence % (uint)count);
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] == symbol && wanted-- == 0)
                return i;
        }
        return -1;
    }
}
