using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace ScratchNet.Tests.Reliability;

/// <summary>A header integer a mutation may set to an extreme value: where it is, its width, its byte order.</summary>
public sealed record HeaderField(int Position, int Width, bool BigEndian);

/// <summary>A valid file after 1–3 mutations; <see cref="Mode"/> says what was edited (the file, or the content before it was wrapped).</summary>
public sealed record MutatedFile(string Seed, string Mode, Mutation[] Mutations, byte[] Bytes)
{
    public override string ToString() =>
        $"{Seed} [{Mode}] {string.Join(", ", Mutations.Select(m => m.ToString()))} -> {Bytes.Length} bytes: " +
        (Bytes.Length <= 2048 ? Convert.ToHexString(Bytes) : Convert.ToHexString(Bytes, 0, 2048) + "…");
}

/// <summary>FsCheck generators of mutations: byte-level edits for every format, token-level ones for the text formats.</summary>
public static class MutationGenerators
{
    /// <summary>Values a header integer is set to: zero, one, minus one, the int/uint/long limits, "huge" dimensions.</summary>
    private static readonly long[] Extremes =
        [0, 1, -1, 2, 255, 256, 65535, 65536, 1_000_000, int.MaxValue, int.MinValue, 1L << 31, uint.MaxValue, 1L << 32,
         1L << 40, 0x7FFF_FFF0, long.MaxValue, long.MinValue, long.MaxValue / 2];

    private static readonly string[] NumberTexts =
        ["0", "1", "-1", "2147483647", "2147483648", "-2147483649", "4294967296", "9223372036854775807", "9223372036854775808",
         "-9223372036854775809", "99999999999999999999999999", "1e308", "1e309", "-1e309", "1e-400", "1.5", "-0", "0.0", "NaN", "nan",
         "inf", "-inf", "Infinity", "-Infinity", "abc", "", "NA", "null", "true", "1e", "--1", "0x1F", "1,5", " 7", "\u0662", "1_000"];

    private static readonly string[] Tokens =
        [.. NumberTexts, "\"", "'", ",", "\t", ";", "\n", "\r\n", "\r", "\uFEFF", "{", "}", "[", "]", "(", ")", ":", "\\", "\\u0000",
         "\0", "é", "\uFFFD", "{}", "[]", "\"\"", "\"a\",", ",,", "NA,NA", "\"x\":1,", "True", "False", "None", "(1,)"];

    private static readonly string[] JsonValues =
        ["null", "0", "-1", "7", "1e400", "\"\"", "\"x\"", "\"\\ud800\"", "{}", "[]", "[0]", "[0, 0]", "[1]", "[-1]", "[2147483648]",
         "[1, 2, 3]", "[0, 8]", "[8, 0]", "[[1]]", "[null]", "[\"1\"]", "true", "\"NaN\"", "\"9999-99-99\""];

    private static readonly char[] Symbols = [',', '"', '\n', '\t', '{', '}', '[', ']', ':', '(', ')', '\'', '.', '-', ' '];

    private static Gen<int> Anywhere { get; } = Gen.Choose(0, 1 << 30);

    private static Gen<byte[]> RandomBytes { get; } =
        Gen.Choose(1, 48).SelectMany(count => Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf(count));

    /// <summary>Bit flips, overwrites, truncation, extension, deletion, splicing, extreme integers (often at a known header field).</summary>
    public static Gen<Mutation> Bytes(IReadOnlyList<HeaderField> headerFields)
    {
        var any = new List<(int, Gen<Mutation>)>
        {
            (3, Gen.Zip(Anywhere, Gen.Choose(0, 7)).Select(p => (Mutation)new FlipBit(p.Item1, p.Item2))),
            (2, Gen.Zip(Anywhere, Gen.Choose(0, 255)).Select(p => (Mutation)new OverwriteByte(p.Item1, (byte)p.Item2))),
            (2, Anywhere.Select(keep => (Mutation)new Truncate(keep))),
            (1, RandomBytes.Select(tail => (Mutation)new Extend(tail))),
            (1, Gen.Zip(Anywhere, RandomBytes).Select(p => (Mutation)new InsertBytes(p.Item1, p.Item2))),
            (1, Gen.Zip(Anywhere, Gen.Choose(1, 64)).Select(p => (Mutation)new DeleteChunk(p.Item1, p.Item2))),
            (1, Gen.Zip(Anywhere, Gen.Choose(1, 64)).SelectMany(p => Anywhere.Select(to => (Mutation)new SpliceChunk(p.Item1, p.Item2, to)))),
            (1, Gen.Zip(Anywhere, Gen.Elements(1, 2, 4, 8)).SelectMany(p => Gen.Zip(Gen.Elements(true, false), Gen.Elements(Extremes))
                .Select(q => (Mutation)new WriteInteger(p.Item1, p.Item2, q.Item1, q.Item2)))),
        };
        if (headerFields.Count > 0)
        {
            any.Add((4, Gen.Zip(Gen.Elements<HeaderField>(headerFields), Gen.Elements(Extremes))
                .Select(p => (Mutation)new WriteInteger(p.Item1.Position, p.Item1.Width, p.Item1.BigEndian, p.Item2))));
        }
        return Gen.Frequency([.. any]);
    }

    /// <summary>Numbers replaced by extremes and non-numbers, delimiters/quotes/brackets dropped or doubled, lines dropped or
    /// duplicated, cells replaced, tokens inserted, strings and lists replaced by other JSON values, a BOM, CRLF or CR newlines.</summary>
    public static Gen<Mutation> Text { get; } = Gen.Frequency(
        (3, Gen.Zip(Anywhere, Gen.Elements(NumberTexts)).Select(p => (Mutation)new ReplaceNumber(p.Item1, p.Item2))),
        (2, Gen.Zip(Gen.Elements(Symbols), Anywhere).Select(p => (Mutation)new DropSymbol(p.Item1, p.Item2))),
        (2, Gen.Zip(Gen.Elements(Symbols), Anywhere).Select(p => (Mutation)new DuplicateSymbol(p.Item1, p.Item2))),
        (2, Gen.Zip(Anywhere, Gen.Elements(true, false)).Select(p => (Mutation)new EditLine(p.Item1, p.Item2))),
        (2, Gen.Zip(Anywhere, Gen.Elements(Tokens)).Select(p => (Mutation)new ReplaceCell(p.Item1, p.Item2))),
        (2, Gen.Zip(Anywhere, Gen.Elements(Tokens)).Select(p => (Mutation)new InsertBytes(p.Item1, Encoding.UTF8.GetBytes(p.Item2)))),
        (2, Gen.Zip(Gen.Elements('"', '['), Anywhere).SelectMany(p => Gen.Elements(JsonValues).Select(value => (Mutation)new ReplaceValue(p.Item1, p.Item2, value)))),
        (1, Gen.Constant((Mutation)new AddByteOrderMark())),
        (1, Gen.Elements(true, false).Select(crOnly => (Mutation)new ChangeNewlines(crOnly))));

    /// <summary>Either kind of mutation, for text formats that may also be damaged on disk.</summary>
    public static Gen<Mutation> TextOrBytes { get; } = Gen.Frequency((3, Text), (1, Bytes([])));

    /// <summary>
    /// 1–3 mutations of <paramref name="seed"/>; with <paramref name="wrap"/> the mutated bytes are then wrapped again
    /// (gzip, zip, a safetensors/NPY header with its length fixed up), so the damage reaches the inner parser.
    /// </summary>
    public static Gen<MutatedFile> Mutated(string name, byte[] seed, Gen<Mutation> mutation, string mode = "file", Func<byte[], byte[]>? wrap = null) =>
        Gen.Choose(1, 3).SelectMany(count => mutation.ArrayOf(count)).Select(mutations =>
        {
            var edited = mutations.Aggregate(seed, (bytes, m) => m.Apply(bytes));
            return new MutatedFile(name, mode, mutations, wrap is null ? edited : wrap(edited));
        });

    public static Arbitrary<MutatedFile> OneOf(params Gen<MutatedFile>[] generators) => Gen.OneOf(generators).ToArbitrary();
}
