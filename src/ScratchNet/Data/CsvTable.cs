using System.IO.Compression;
using System.Text;

namespace ScratchNet.Data;

/// <summary>
/// A delimited text table read whole (raw or gzip-compressed): comma- or tab-separated (decided by the header line), UTF-8 with or without
/// BOM, CRLF or LF, double-quoted fields with "" escapes. Every row must have as many fields as the header.
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
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        // gzip is recognised by its magic bytes (1f 8b), not the name: data/ames/AmesHousing.csv.gz is read as it is.
        using Stream content = IdxReader.IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var headerLine = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(headerLine))
            throw new DataException($"{path}: empty file, expected a header line of column names; replace it with AmesHousing.csv.");
        var delimiter = headerLine.Contains('\t', StringComparison.Ordinal) ? '\t' : ',';
        var header = Split(headerLine, delimiter, path, 1).Select(name => name.Trim()).ToArray();
        var rows = new List<string[]>();
        var lines = new List<int>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
                continue;
            var fields = Split(line, delimiter, path, lineNumber);
            if (fields.Length != header.Length)
                throw new DataException($"{path}: line {lineNumber} (row {rows.Count + 1}) has {fields.Length} fields, expected {header.Length} like the header; fix or replace the file.");
            rows.Add(fields);
            lines.Add(lineNumber);
        }
        return new CsvTable(path, header, rows, lines);
    }

    private static string[] Split(string line, char delimiter, string path, int lineNumber)
    {
        if (!line.Contains('"', StringComparison.Ordinal))
            return line.Split(delimiter);
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c != '"')
                    field.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"')
                    field.Append(line[++i]);
                else
                    quoted = false;
            }
            else if (c == '"')
                quoted = true;
            else if (c == delimiter)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
                field.Append(c);
        }
        if (quoted)
            throw new DataException($"{path}: line {lineNumber} ends inside a quoted field; fix or replace the file.");
        fields.Add(field.ToString());
        return [.. fields];
    }
}
