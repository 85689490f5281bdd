using System.Globalization;
using ScratchNet.IO;

namespace ScratchNet.Data;

/// <summary>
/// Parses the Python dict literal of an NPY header, e.g. <c>{'descr': '&lt;f8', 'fortran_order': False, 'shape': (3, 2), }</c>,
/// and checks that it describes an array the reader supports.
/// </summary>
internal static class NpyHeader
{
    public static (NpyType Type, int[] Shape, long Count) Parse(string header, string name)
    {
        var entries = new Dictionary<string, object>(StringComparer.Ordinal);
        var position = 0;
        Expect(header, ref position, '{', name);
        while (true)
        {
            SkipSpace(header, ref position);
            if (Peek(header, position) == '}')
                break;
            var key = ReadString(header, ref position, name);
            Expect(header, ref position, ':', name);
            entries[key] = ReadValue(header, ref position, name);
            SkipSpace(header, ref position);
            if (Peek(header, position) == ',')
                position++;
            else if (Peek(header, position) != '}')
                throw Malformed(name, header, position);
        }

        if (!entries.TryGetValue("descr", out var descrValue) || !entries.TryGetValue("fortran_order", out var fortran) || !entries.TryGetValue("shape", out var shapeValue))
            throw NpyReader.Bad(name, $"the NPY header lacks 'descr', 'fortran_order' or 'shape': {MessageText.Printable(header.Trim())}");
        if (descrValue is not string descr)
            throw NpyReader.Bad(name, "'descr' must be a dtype string such as '<f8'");
        if (fortran is not bool isFortran)
            throw NpyReader.Bad(name, "'fortran_order' must be True or False");
        if (isFortran)
            throw NpyReader.Bad(name, "the array is in Fortran order; only C order is supported (save np.ascontiguousarray(a))");
        if (shapeValue is not int[] shape)
            throw NpyReader.Bad(name, "'shape' must be a tuple of integers");

        var type = descr switch
        {
            "<f8" => NpyType.Float64,
            "<f4" => NpyType.Float32,
            "<i8" => NpyType.Int64,
            "|u1" or "<u1" => NpyType.UInt8,
            _ when descr.Contains('O', StringComparison.Ordinal) => throw NpyReader.Bad(name, $"dtype '{MessageText.Printable(descr)}' is an object array (pickled Python objects), which is not supported"),
            _ when descr.StartsWith('>') => throw NpyReader.Bad(name, $"dtype '{MessageText.Printable(descr)}' is big-endian; only little-endian is supported (save a.astype('<f8'))"),
            _ => throw NpyReader.Bad(name, $"dtype '{MessageText.Printable(descr)}' is not supported (expected <f8, <f4, <i8 or |u1)"),
        };
        long count = 1;
        foreach (var size in shape)
        {
            count *= size;
            if (count > Array.MaxLength)
                throw NpyReader.Bad(name, $"shape {NpyReader.ShapeText(shape)} has more elements than an array can hold: corrupt header");
        }
        return (type, shape, count);
    }

    private static object ReadValue(string text, ref int position, string name)
    {
        SkipSpace(text, ref position);
        var c = Peek(text, position);
        if (c is '\'' or '"')
            return ReadString(text, ref position, name);
        if (c == '[')
            throw NpyReader.Bad(name, $"structured dtype {MessageText.Printable(text.Trim())} is not supported (expected <f8, <f4, <i8 or |u1)");
        if (c == '(')
            return ReadTuple(text, ref position, name);
        foreach (var (word, value) in new[] { ("True", true), ("False", false) })
        {
            if (string.CompareOrdinal(text, position, word, 0, word.Length) == 0)
            {
                position += word.Length;
                return value;
            }
        }
        throw Malformed(name, text, position);
    }

    private static int[] ReadTuple(string text, ref int position, string name)
    {
        position++; // '('
        var values = new List<int>();
        while (true)
        {
            SkipSpace(text, ref position);
            if (Peek(text, position) == ')')
            {
                position++;
                return [.. values];
            }
            var start = position;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
                position++;
            if (start == position || !int.TryParse(text.AsSpan(start, position - start), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                throw NpyReader.Bad(name, $"shape entry '{MessageText.Printable(text[start..Math.Min(text.Length, start + 12)])}' is not a dimension in [0, {int.MaxValue}]");
            values.Add(value);
            SkipSpace(text, ref position);
            if (Peek(text, position) == ',')
                position++;
        }
    }

    private static string ReadString(string text, ref int position, string name)
    {
        SkipSpace(text, ref position);
        var quote = Peek(text, position);
        if (quote is not ('\'' or '"'))
            throw Malformed(name, text, position);
        var end = text.IndexOf(quote, position + 1);
        if (end < 0)
            throw Malformed(name, text, position);
        var value = text[(position + 1)..end];
        position = end + 1;
        return value;
    }

    private static void Expect(string text, ref int position, char expected, string name)
    {
        SkipSpace(text, ref position);
        if (Peek(text, position) != expected)
            throw Malformed(name, text, position);
        position++;
    }

    private static char Peek(string text, int position) => position < text.Length ? text[position] : '\0';

    private static void SkipSpace(string text, ref int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
            position++;
    }

    private static DataException Malformed(string name, string header, int position) =>
        NpyReader.Bad(name, $"malformed NPY header at character {position}: {MessageText.Printable(header.Trim())}");
}
