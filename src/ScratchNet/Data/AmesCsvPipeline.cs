using System.Globalization;
using ScratchNet.IO;

namespace ScratchNet.Data;

/// <summary>
/// Rebuilds the course's Ames matrices from the raw AmesHousing.csv/.txt (docs/data.md):
/// rows in file order, the first half (1465 of 2930) train, the rest test; columns: PID and the 36 numeric
/// features, each z-scored over all rows with the sample std (ddof = 1), missing → 0 (a constant column → 0);
/// then, per categorical column in file order, one indicator per observed level in ordinal (code point) order and a
/// last one for NA (present even when the column has no NA, as pandas' <c>get_dummies(dummy_na=True)</c> makes it);
/// y = ln(SalePrice).
/// </summary>
internal static class AmesCsvPipeline
{
    public static AmesHousing Load(string path)
    {
        var table = CsvTable.Read(path);
        var columns = ColumnIndices(table);
        var rows = table.Rows.Count;
        if (rows < 2)
            throw new DataException($"{path}: {rows} data row(s); the pipeline needs at least 2 (the course file has {AmesSchema.CourseRows}); fix or replace the file.");

        var numeric = AmesSchema.NumericBlock.Select(name => Standardize(table, name, columns[name])).ToArray();
        var indicators = AmesSchema.Categorical.Select(name => OneHot(table, columns[name])).ToArray();
        var featureCount = numeric.Length + indicators.Sum(block => block.Levels.Count + 1);
        var features = new double[(long)rows * featureCount];
        for (var row = 0; row < rows; row++)
        {
            var destination = features.AsSpan(row * featureCount, featureCount);
            for (var j = 0; j < numeric.Length; j++)
                destination[j] = numeric[j][row];
            var offset = numeric.Length;
            foreach (var block in indicators)
            {
                destination[offset + block.LevelOfRow[row]] = 1;
                offset += block.Levels.Count + 1;
            }
        }

        var targets = Targets(table, columns[AmesSchema.Target]);
        var trainRows = (rows + 1) / 2;
        var names = AmesSchema.NumericBlock.Concat(AmesSchema.Categorical.Zip(indicators,
            (name, block) => block.Levels.Select(level => $"{name}={level}").Append($"{name}=NA")).SelectMany(n => n)).ToArray();
        return new AmesHousing(
            new RegressionSet(features[..(trainRows * featureCount)], targets[..trainRows], featureCount),
            new RegressionSet(features[(trainRows * featureCount)..], targets[trainRows..], featureCount),
            Path.GetFullPath(path))
        { FeatureNames = names };
    }

    private static Dictionary<string, int> ColumnIndices(CsvTable table)
    {
        var indices = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < table.Header.Count; i++)
            indices.TryAdd(table.Header[i], i);
        var required = AmesSchema.NumericBlock.Concat(AmesSchema.Categorical).Append(AmesSchema.Target);
        var missing = required.Where(name => !indices.ContainsKey(name)).ToList();
        if (missing.Count > 0)
            throw new DataException($"{table.Path}: missing required column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} " +
                $"(found {table.Header.Count} columns); use De Cock's AmesHousing.csv with its original header.");
        return indices;
    }

    /// <summary>(x − mean) / std over the non-missing values (ddof = 1); missing → 0.</summary>
    private static double[] Standardize(CsvTable table, string name, int column)
    {
        var values = new double[table.Rows.Count];
        double sum = 0;
        var count = 0;
        for (var row = 0; row < values.Length; row++)
        {
            var text = table.Rows[row][column];
            if (AmesSchema.IsMissing(text))
            {
                values[row] = double.NaN;
                continue;
            }
            values[row] = ParseNumber(table, row, name, text);
            sum += values[row];
            count++;
        }
        var mean = sum / count;
        double squares = 0;
        foreach (var value in values)
        {
            if (!double.IsNaN(value))
                squares += (value - mean) * (value - mean);
        }
        var std = Math.Sqrt(squares / (count - 1));
        if ((count >= 1 && !double.IsFinite(mean)) || (count >= 2 && !double.IsFinite(std)))
            throw new DataException($"{table.Path}: column '{name}' has values too large to standardize (their sum or spread overflows a double); fix or replace the file.");
        var usable = count >= 2 && std > 0;
        for (var row = 0; row < values.Length; row++)
            values[row] = usable && !double.IsNaN(values[row]) ? (values[row] - mean) / std : 0;
        return values;
    }

    private sealed record Indicators(IReadOnlyList<string> Levels, int[] LevelOfRow);

    /// <summary>Levels in ordinal order; a missing value maps to index Levels.Count (the NA indicator).</summary>
    private static Indicators OneHot(CsvTable table, int column)
    {
        var levels = table.Rows.Select(r => r[column]).Where(v => !AmesSchema.IsMissing(v)).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal).ToArray();
        var index = levels.Select((level, i) => (level, i)).ToDictionary(p => p.level, p => p.i, StringComparer.Ordinal);
        var levelOfRow = table.Rows.Select(r => AmesSchema.IsMissing(r[column]) ? levels.Length : index[r[column]]).ToArray();
        return new Indicators(levels, levelOfRow);
    }

    private static double[] Targets(CsvTable table, int column)
    {
        var targets = new double[table.Rows.Count];
        for (var row = 0; row < targets.Length; row++)
        {
            var text = table.Rows[row][column];
            var price = AmesSchema.IsMissing(text)
                ? throw new DataException($"{table.Path}: line {table.LineNumbers[row]}, column '{AmesSchema.Target}': missing; every row needs a sale price, fix or replace the file.")
                : ParseNumber(table, row, AmesSchema.Target, text);
            if (!(price > 0))
                throw new DataException($"{table.Path}: line {table.LineNumbers[row]}, column '{AmesSchema.Target}': {MessageText.Printable(text)} is not a positive price (y = ln price); fix or replace the file.");
            targets[row] = Math.Log(price);
        }
        return targets;
    }

    private static double ParseNumber(CsvTable table, int row, string column, string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
            return value;
        throw new DataException($"{table.Path}: line {table.LineNumbers[row]}, column '{column}': '{MessageText.Printable(text)}' is not a number (expected a number or NA); fix or replace the file.");
    }
}
