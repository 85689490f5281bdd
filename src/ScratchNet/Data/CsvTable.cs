using System.IO.Compression;
using System.Text;
using nietras.SeparatedValues;

namespace ScratchNet.Data;

/// <summary>
/// A delimited text table read whole (raw or gzip-compressed) with Sep: comma- or tab-separated (tab when the header
/// line holds a tab), UTF-8 with or without BOM, CRLF, LF or CR, double-quoted fields with "" escapes; empty lines are
/// skipped. Every row must have as many fields as the header, and a quoted field must close on the line it opens (the
/// Ames files hold no line breaks inside fields, so a row spanning lines is an unclosed quote).
/// The values stay text: what they mean (numbers, NA) is decided by <see cref="AmesCsvPipeline"/>.
/// </summary>
internal sealed class CsvTable
{
    private CsvTable(string path, IReadOnlyList<string> header, List<string[]> rows, List<int> lineNumbers)
    {
        Path = path;
        Header = header;
        Rows = rows;
        LineNumbers = lineNumbers;
    }

    public string Path { get; }
    public IReadOnlyList<string> Header { get; }
    public IReadOnlyList<string[]> Rows { get; }
    /// <summary>The 1-based line of each row in the file, for error messages.</summary>
    public IReadOnlyList<int> LineNumbers { get; }

    public static CsvTable Read(string path)
    {
        var text = ReadText(path);
        var headerEnd = text.AsSpan().IndexOfAny('\r', '\n');
        var headerLine = headerEnd < 0 ? text.AsSpan() : text.AsSpan(0, headerEnd);
        if (headerLine.IsWhiteSpace())
            throw new DataException($"{path}: empty file, expected a header line of column names; replace it with AmesHousing.csv.");
        var delimiter = headerLine.Contains('\t') ? '\t' : ',';

        // The first row is the header, read as a row: Sep's own header handling would reject repeated names, which
        // pandas (and the pipeline: the first of them is used) accept. Sep numbers that first row's lines wrongly
        // (LineNumberFrom is 2), so the header is line 1 by construction and every later row keeps Sep's numbers.
        using var reader = Sep.Reader(options => options with
        {
            Sep = new Sep(delimiter),
            HasHeader = false,
            DisableColCountCheck = true,
            Unescape = true,
        }).FromText(text);
        string[]? header = null;
        var rows = new List<string[]>();
        var lines = new List<int>();
        foreach (var row in reader)
        {
            var lineNumber = header is null ? 1 : row.LineNumberFrom;
            if (header is not null && row.LineNumberToExcl - row.LineNumberFrom > 1)
                throw new DataException($"{path}: line {lineNumber} ends inside a quoted field; fix or replace the file.");
            if (row.ColCount == 1 && row.Span.IsEmpty)
                continue;
            var fields = new string[row.ColCount];
            for (var i = 0; i < fields.Length; i++)
                fields[i] = row[i].ToString();
            if (header is null)
            {
                header = [.. fields.Select(name => name.Trim())];
                continue;
            }
            if (fields.Length != header.Length)
                throw new DataException($"{path}: line {lineNumber} (row {rows.Count + 1}) has {fields.Length} fields, expected {header.Length} like the header; fix or replace the file.");
            rows.Add(fields);
            lines.Add(lineNumber);
        }
        return new CsvTable(path, header!, rows, lines);
    }

    /// <summary>The whole file as text; gzip is recognised by its magic bytes (1f 8b), not the name.</summary>
    private static string ReadText(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using Stream content = IdxReader.IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}
