using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScratchNet.Reports;

/// <summary>
/// The measured spread of one final number over seeds: the evidence behind a chaotic row's tolerance. The same
/// configuration is trained once per seed (<see cref="Command"/> reruns it); <see cref="Mean"/> and <see cref="Std"/>
/// (sample standard deviation, n − 1) are of <see cref="Values"/>.
/// </summary>
public sealed record SpreadEvidence
{
    /// <summary>The least tolerance of a chaotic row: tolerance = max(2σ, Floor).</summary>
    public const double Floor = 0.003;

    /// <summary>The fewest seeds a spread may be measured over.</summary>
    public const int MinSeeds = 8;

    /// <summary>The reference row's section (e.g. <c>Q3.2b</c>); null when the configuration is not a reference row's.</summary>
    public string? Section { get; init; }
    /// <summary>A <see cref="ReportMetric"/> name: <c>FinalDevAccuracy</c> or <c>FinalTestAccuracy</c>.</summary>
    public required string Metric { get; init; }
    public required string Engine { get; init; }
    /// <summary>The settings every seed shared, e.g. <c>Mlp η=0.001 hidden=200 relu sgd batch=1 epochs=20 f64</c>.</summary>
    public required string Configuration { get; init; }
    public required IReadOnlyList<int> Seeds { get; init; }
    /// <summary>The final value of each seed, in the order of <see cref="Seeds"/>.</summary>
    public required IReadOnlyList<double> Values { get; init; }
    public required double Mean { get; init; }
    public required double Std { get; init; }
    /// <summary>When the runs finished (UTC date of the last one).</summary>
    public required string Date { get; init; }
    /// <summary>The ScratchNet commit the runs were trained with.</summary>
    public required string Commit { get; init; }
    /// <summary>The command that trains the seeds again.</summary>
    public required string Command { get; init; }

    [JsonIgnore]
    public double TwoSigma => 2 * Std;

    [JsonIgnore]
    public double Tolerance => Math.Max(TwoSigma, Floor);

    /// <summary>One line for the report, e.g. "2σ over 8 seeds = 0.0040 (mean 0.8751, σ 0.0020; 2026-12-04, commit 261db24)".</summary>
    [JsonIgnore]
    public string Summary =>
        string.Create(CultureInfo.InvariantCulture, $"2σ over {Seeds.Count} seeds = {TwoSigma:0.0000} (mean {Mean:0.0000}, σ {Std:0.0000}; seeds {string.Join(',', Seeds)}; {Date}, commit {Commit})") +
        (TwoSigma < Floor ? string.Create(CultureInfo.InvariantCulture, $"; below the floor, so the tolerance is {Floor:0.000}") : "");

    /// <summary>
    /// Where a reference number falls in this spread, said beside a "differs" verdict so a reader can tell a run that
    /// drew low or high from one that reproduces something else: within <see cref="Tolerance"/> of the seeds' mean (a
    /// plausible draw of the configuration) or outside it.
    /// </summary>
    public string PlaceOf(double reference)
    {
        var gap = Math.Abs(reference - Mean);
        return gap <= Tolerance + 0.00005
            ? string.Create(CultureInfo.InvariantCulture,
                $"the reference itself is {gap:0.0000} from these seeds' mean, within {Tolerance:0.0000}: it and this run are both draws of the configuration's spread")
            : string.Create(CultureInfo.InvariantCulture,
                $"the reference is {gap:0.0000} from these seeds' mean, outside {Tolerance:0.0000}: not a typical draw of this configuration");
    }

    /// <summary>Mean and sample standard deviation (n − 1) of <paramref name="values"/>.</summary>
    public static (double Mean, double Std) MeanAndStd(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
            throw new ArgumentException("a spread needs at least two values", nameof(values));
        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return (mean, Math.Sqrt(variance));
    }
}

/// <summary>The committed evidence file: one <see cref="SpreadEvidence"/> per chaotic reference row that has been measured.</summary>
public sealed record ToleranceEvidenceFile
{
    public const string SchemaName = "scratchnet.tolerance-evidence/1";

    public string Schema { get; init; } = SchemaName;
    public string Rule { get; init; } = $"tolerance = max(2 × sample standard deviation over at least {SpreadEvidence.MinSeeds} seeds, {SpreadEvidence.Floor:0.000})";
    public required IReadOnlyList<SpreadEvidence> Rows { get; init; }
}

/// <summary>
/// The measured seed spreads behind the chaotic rows' tolerances: <c>tolerance-evidence.json</c>, embedded in this
/// assembly. A new spread (for example from <c>report</c> on a seed sweep, which writes <c>seed-spread.json</c> in the
/// same format) is added by pasting its rows into that file.
/// </summary>
public static class ToleranceEvidence
{
    public const string ResourceName = "ScratchNet.Reports.tolerance-evidence.json";

    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly Lazy<ToleranceEvidenceFile> Committed = new(Load);

    public static IReadOnlyList<SpreadEvidence> All => Committed.Value.Rows;

    public static SpreadEvidence? Find(string section, ReportMetric metric) =>
        All.FirstOrDefault(e => e.Section == section && e.Metric == metric.ToString());

    public static ToleranceEvidenceFile Parse(string json)
    {
        var file = JsonSerializer.Deserialize<ToleranceEvidenceFile>(json, Json) ?? throw new InvalidDataException("tolerance evidence: the file is empty");
        if (file.Schema != ToleranceEvidenceFile.SchemaName)
            throw new InvalidDataException($"tolerance evidence: schema '{file.Schema}', expected '{ToleranceEvidenceFile.SchemaName}'");
        foreach (var row in file.Rows)
        {
            if (row.Seeds.Count < SpreadEvidence.MinSeeds || row.Values.Count != row.Seeds.Count)
                throw new InvalidDataException($"tolerance evidence {row.Section} {row.Metric}: {row.Values.Count} values over {row.Seeds.Count} seeds; at least {SpreadEvidence.MinSeeds} seeds with one value each are needed");
            if (!Enum.TryParse<ReportMetric>(row.Metric, out _))
                throw new InvalidDataException($"tolerance evidence {row.Section}: unknown metric '{row.Metric}'");
        }
        return file;
    }

    private static ToleranceEvidenceFile Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in {Assembly.GetExecutingAssembly().GetName().Name} (a build error)");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }
}
