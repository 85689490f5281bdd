using System.Text;
using ScratchNet.Data;

namespace ScratchNet.Tests.Data;

/// <summary>The raw-CSV pipeline on a 4-row table built in code; expected values are worked out by hand below.</summary>
public class AmesCsvTests
{
    private const int Rows = 4;

    /// <summary>Column name → 4 values. Unlisted numeric columns are the constant 5, unlisted categorical ones "x".</summary>
    private static Dictionary<string, string[]> Columns() => new(StringComparer.Ordinal)
    {
        ["Order"] = ["1", "2", "3", "4"],
        ["PID"] = ["10", "20", "30", "40"],
        ["Lot Area"] = ["1", "2", "3", "NA"],     // mean 2, std 1 over the 3 present values
        ["Mas Vnr Area"] = ["4", "", "4", "6"],    // "" is missing too
        ["MS Zoning"] = ["RM", "RL", "NA", "RL"],
        ["Alley"] = ["", "Grvl", "Grvl", "Pave"],
        ["Street"] = ["b", "B", "a", "b"],         // ordinal order: B < a < b
        ["Exterior 1st"] = ["a,b", "c", "c", "c"],  // a quoted field holding the delimiter
        ["SalePrice"] = ["100", "200", "300", "400"],
    };

    private static string Render(Dictionary<string, string[]> columns, char delimiter = ',', string newline = "\n")
    {
        var names = new[] { "Order", AmesSchema.Id }.Concat(AmesSchema.NumericFeatures).Concat(AmesSchema.Categorical).Append(AmesSchema.Target)
            .Where(columns.ContainsKey).ToList();
        string Quote(string v) => v.Contains(delimiter, StringComparison.Ordinal) ? $"\"{v}\"" : v;
        var text = new StringBuilder(string.Join(delimiter, names)).Append(newline);
        for (var row = 0; row < Rows; row++)
            text.Append(string.Join(delimiter, names.Select(n => Quote(columns[n][row])))).Append(newline);
        return text.ToString();
    }

    private static Dictionary<string, string[]> FullColumns()
    {
        var columns = Columns();
        foreach (var name in AmesSchema.NumericFeatures)
            columns.TryAdd(name, ["5", "5", "5", "5"]);
        foreach (var name in AmesSchema.Categorical)
            columns.TryAdd(name, ["x", "x", "x", "x"]);
        return columns;
    }

    private static AmesHousing Load(string text, Encoding? encoding = null, string name = "AmesHousing.csv")
    {
        using var dir = new TempDirectory();
        var path = dir.File(name);
        File.WriteAllText(path, text, encoding ?? new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return AmesHousing.LoadCsv(path);
    }

    private static double[] AllRows(AmesHousing ames) => [.. ames.Train.AllFeatures.ToArray(), .. ames.Test.AllFeatures.ToArray()];

    private static double[] Column(AmesHousing ames, string name)
    {
        var index = ames.FeatureNames.ToList().IndexOf(name);
        Assert.True(index >= 0, $"no column {name}");
        var all = AllRows(ames);
        return [.. Enumerable.Range(0, Rows).Select(row => all[row * ames.Train.FeatureCount + index])];
    }

    [Fact]
    public void Builds_pid_then_numeric_then_indicators_and_splits_rows_in_half()
    {
        var ames = Load(Render(FullColumns()));
        // 37 numeric + MS Zoning (RL, RM, NA) + Alley (Grvl, Pave, NA) + Street (B, a, b, NA) + Exterior 1st (a,b; c; NA) + 39 × (x, NA)
        Assert.Equal(37 + 3 + 3 + 4 + 3 + 39 * 2, ames.Train.FeatureCount);
        Assert.Equal((2, 2), (ames.Train.Count, ames.Test.Count));
        Assert.Equal(AmesSchema.Id, ames.FeatureNames[0]);
        Assert.Equal("Yr Sold", ames.FeatureNames[36]);
        Assert.Equal("MS Zoning=RL", ames.FeatureNames[37]);
    }

    [Fact]
    public void Numeric_columns_are_z_scored_with_ddof_1_and_missing_becomes_0()
    {
        var ames = Load(Render(FullColumns()));
        Assert.Equal(new[] { -1.0, 0, 1, 0 }, Column(ames, "Lot Area"));
        var pidStd = Math.Sqrt((15.0 * 15 + 5 * 5 + 5 * 5 + 15 * 15) / 3);
        Assert.Equal(new[] { -15 / pidStd, -5 / pidStd, 5 / pidStd, 15 / pidStd }, Column(ames, "PID"), new ToleranceComparer(1e-15));
        var masStd = Math.Sqrt((2.0 / 3 * 2.0 / 3 * 2 + 4.0 / 3 * 4.0 / 3) / 2); // values 4, 4, 6: mean 14/3
        Assert.Equal(new[] { -2.0 / 3 / masStd, 0, -2.0 / 3 / masStd, 4.0 / 3 / masStd }, Column(ames, "Mas Vnr Area"), new ToleranceComparer(1e-15));
        Assert.Equal(new double[] { 0, 0, 0, 0 }, Column(ames, "Pool Area")); // constant column
    }

    [Fact]
    public void Indicators_use_ordinal_level_order_with_a_trailing_na_column_even_when_unused()
    {
        var ames = Load(Render(FullColumns()));
        Assert.Equal(new double[] { 0, 1, 0, 1 }, Column(ames, "MS Zoning=RL"));
        Assert.Equal(new double[] { 1, 0, 0, 0 }, Column(ames, "MS Zoning=RM"));
        Assert.Equal(new double[] { 0, 0, 1, 0 }, Column(ames, "MS Zoning=NA"));
        Assert.Equal(new double[] { 1, 0, 0, 0 }, Column(ames, "Alley=NA")); // the empty string is NA too
        var street = ames.FeatureNames.Where(n => n.StartsWith("Street=", StringComparison.Ordinal));
        Assert.Equal(["Street=B", "Street=a", "Street=b", "Street=NA"], street);
        Assert.Equal(new double[] { 1, 0, 0, 0 }, Column(ames, "Exterior 1st=a,b"));
        Assert.Equal(new double[] { 0, 0, 0, 0 }, Column(ames, "Heating=NA"));
        var all = AllRows(ames);
        for (var row = 0; row < Rows; row++)
            Assert.Equal(43, all.AsSpan((row * ames.Train.FeatureCount) + 37, ames.Train.FeatureCount - 37).ToArray().Sum());
    }

    [Fact]
    public void Targets_are_the_log_of_the_sale_price()
    {
        var ames = Load(Render(FullColumns()));
        Assert.Equal(new[] { Math.Log(100), Math.Log(200) }, ames.Train.Targets.ToArray());
        Assert.Equal(new[] { Math.Log(300), Math.Log(400) }, ames.Test.Targets.ToArray());
    }

    [Fact]
    public void Tab_separated_with_bom_and_crlf_gives_the_same_matrices()
    {
        var comma = Load(Render(FullColumns()));
        var tab = Load(Render(FullColumns(), '\t', "\r\n"), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), "AmesHousing.txt");
        Assert.Equal(AllRows(comma), AllRows(tab));
        Assert.Equal(comma.FeatureNames, tab.FeatureNames);
    }

    [Fact]
    public void Blank_lines_are_skipped_doubled_quotes_unescape_and_a_repeated_name_reads_its_first_column()
    {
        var lines = Render(FullColumns()).TrimEnd('\n').Split('\n').Select(line => line + ",999").ToList();
        lines[0] = lines[0][..^",999".Length] + ",Lot Area"; // pandas reads a repeated name as 'Lot Area.1'
        lines[1] = lines[1].Replace("\"a,b\"", "\"a,\"\"b\"\"\"", StringComparison.Ordinal);
        lines.Insert(2, "");
        var ames = Load(string.Join('\n', lines) + "\n\n");
        Assert.Equal(new[] { -1.0, 0, 1, 0 }, Column(ames, "Lot Area"));
        Assert.Equal(new double[] { 1, 0, 0, 0 }, Column(ames, "Exterior 1st=a,\"b\""));
        Assert.Equal(new[] { Math.Log(100), Math.Log(200) }, ames.Train.Targets.ToArray());
    }

    [Fact]
    public void A_ragged_row_names_its_line()
    {
        var lines = Render(FullColumns()).Split('\n');
        lines[2] += ",extra";
        var error = Assert.Throws<DataException>(() => Load(string.Join('\n', lines)));
        Assert.Contains("line 3 (row 2) has 83 fields, expected 82", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_required_column_is_named()
    {
        var columns = FullColumns();
        columns.Remove("Lot Area");
        columns.Remove("Fence");
        var error = Assert.Throws<DataException>(() => Load(Render(columns)));
        Assert.Contains("'Lot Area', 'Fence'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_numeric_value_in_a_numeric_column_names_line_and_column()
    {
        var columns = FullColumns();
        columns["Garage Area"] = ["1", "2", "lots", "4"];
        var error = Assert.Throws<DataException>(() => Load(Render(columns)));
        Assert.Contains("line 4, column 'Garage Area': 'lots' is not a number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_or_non_positive_price_is_an_error()
    {
        var columns = FullColumns();
        columns["SalePrice"] = ["100", "NA", "300", "400"];
        Assert.Contains("line 3, column 'SalePrice': missing", Assert.Throws<DataException>(() => Load(Render(columns))).Message, StringComparison.Ordinal);
        columns["SalePrice"] = ["100", "0", "300", "400"];
        Assert.Contains("not a positive price", Assert.Throws<DataException>(() => Load(Render(columns))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_and_an_unterminated_quote_are_errors()
    {
        Assert.Contains("empty file", Assert.Throws<DataException>(() => Load("")).Message, StringComparison.Ordinal);
        var lines = Render(FullColumns()).Split('\n');
        lines[1] = "\"" + lines[1];
        Assert.Contains("line 2 ends inside a quoted field", Assert.Throws<DataException>(() => Load(string.Join('\n', lines))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_a_data_exception()
    {
        using var dir = new TempDirectory();
        Assert.Throws<DataException>(() => AmesHousing.LoadCsv(dir.File("AmesHousing.csv")));
        Assert.Throws<DataException>(() => AmesHousing.LoadNpz(dir.File("ames.npz")));
    }

    [Fact]
    public void Npz_with_inconsistent_shapes_or_missing_arrays_is_rejected()
    {
        using var dir = new TempDirectory();
        var x = DataFixtures.NpyDoubles([2, 3], [1, 2, 3, 4, 5, 6]);
        var path = dir.Write("ames.npz", DataFixtures.Npz(("Xtrain.npy", x), ("ytrain.npy", DataFixtures.NpyDoubles([3, 1], [1, 2, 3])),
            ("Xtest.npy", x), ("ytest.npy", DataFixtures.NpyDoubles([2, 1], [1, 2]))));
        Assert.Contains("ytrain.npy has shape (3, 1), expected (2, 1)", Assert.Throws<DataException>(() => AmesHousing.LoadNpz(path)).Message, StringComparison.Ordinal);
        path = dir.Write("ames2.npz", DataFixtures.Npz(("Xtrain.npy", x)));
        Assert.Contains("missing array(s) ytrain, Xtest, ytest", Assert.Throws<DataException>(() => AmesHousing.LoadNpz(path)).Message, StringComparison.Ordinal);
    }

    [Fact] // found while fuzzing the CSV reader: the sum overflowed and every value of the column became NaN
    public void A_column_too_large_to_standardize_is_a_data_error()
    {
        var columns = FullColumns();
        columns["Lot Area"] = ["1e308", "1e308", "1", "2"];
        var error = Assert.Throws<DataException>(() => Load(Render(columns)));
        Assert.Contains("column 'Lot Area' has values too large to standardize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_value_whose_spread_fits_a_double_is_still_standardized()
    {
        var columns = FullColumns();
        columns["Lot Area"] = ["1e150", "0", "1", "2"];
        Assert.All(Column(Load(Render(columns)), "Lot Area"), value => Assert.True(double.IsFinite(value)));
    }

    [Fact]
    public void Npz_fixture_round_trips()
    {
        using var dir = new TempDirectory();
        var x = DataFixtures.NpyDoubles([2, 3], [1, 2, 3, 4, 5, 6]);
        var path = dir.Write("ames.npz", DataFixtures.Npz(("Xtrain.npy", x), ("ytrain.npy", DataFixtures.NpyDoubles([2, 1], [7, 8])),
            ("Xtest.npy", x), ("ytest.npy", DataFixtures.NpyDoubles([2], [9, 10]))));
        var ames = AmesHousing.LoadNpz(path);
        Assert.Equal(new double[] { 4, 5, 6 }, ames.Train.Row(1).ToArray());
        Assert.Equal(new double[] { 9, 10 }, ames.Test.Targets.ToArray());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))), ames.Sha256);
        Assert.Equal(ames.Sha256, ames.Checksums["ames.npz"]);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
