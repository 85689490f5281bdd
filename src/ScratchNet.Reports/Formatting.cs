using System.Globalization;
using ScratchNet.Runs;

namespace ScratchNet.Reports;

/// <summary>How numbers and configurations are written in the report: invariant culture, four decimals like the report.</summary>
internal static class Formatting
{
    public const string Missing = "—";

    public static string Number(double? value, ReportMetric metric) =>
        value is not { } v ? Missing
        : metric == ReportMetric.TestRmseArgminEpoch ? v.ToString("0", CultureInfo.InvariantCulture)
        : Four(v);

    public static string Four(double? value) => value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : Missing;

    public static string Difference(double reproduced, double reference, ReportMetric metric) =>
        metric == ReportMetric.TestRmseArgminEpoch
            ? (reproduced - reference).ToString("+0;-0;0", CultureInfo.InvariantCulture)
            : (Printed(reproduced) - reference).ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture);

    /// <summary>
    /// same: equal to the printed digit; close: the printed values differ by no more than <paramref name="tolerance"/>;
    /// differs: otherwise.
    /// </summary>
    public static string Verdict(double reproduced, double reference, double tolerance, ReportMetric metric)
    {
        if (SameAsPrinted(reproduced, reference, metric))
            return "same";
        var gap = metric == ReportMetric.TestRmseArgminEpoch ? Math.Abs(Math.Round(reproduced) - reference) : Math.Abs(Printed(reproduced) - reference);
        // Printed values are multiples of 0.0001: a half-step of slack absorbs the binary rounding of their difference.
        return gap <= tolerance + 0.00005 ? "close" : "differs";
    }

    /// <summary>"±0.0040", or "printed digit" for a row that must match exactly.</summary>
    public static string Tolerance(double tolerance, ReportMetric metric) =>
        tolerance == 0 ? "printed digit"
        : metric == ReportMetric.TestRmseArgminEpoch ? "±" + tolerance.ToString("0", CultureInfo.InvariantCulture) + " epochs"
        : "±" + Four(tolerance);

    /// <summary>The resolved options in which <paramref name="actual"/> differs from <paramref name="expected"/>, e.g. "epochs 3 (reference 20), trainLimit 2000 (reference none)".</summary>
    public static string SettingsDifference(TrainingOptions actual, TrainingOptions expected)
    {
        var a = System.Text.Json.JsonSerializer.SerializeToElement(actual with { Threads = 1, Preset = "" }, RunJson.Options);
        var e = System.Text.Json.JsonSerializer.SerializeToElement(expected with { Threads = 1, Preset = "" }, RunJson.Options);
        var names = a.EnumerateObject().Select(p => p.Name).Union(e.EnumerateObject().Select(p => p.Name));
        string Value(System.Text.Json.JsonElement o, string name) => o.TryGetProperty(name, out var v) && v.ValueKind != System.Text.Json.JsonValueKind.Null ? v.ToString() : "none";
        var differences = names.Where(n => Value(a, n) != Value(e, n)).Select(n => $"{n} {Value(a, n)} (reference {Value(e, n)})").ToList();
        return differences.Count == 0 ? "none" : string.Join(", ", differences);
    }

    /// <summary>Same at the reference's printed precision (four decimals; whole epochs).</summary>
    public static bool SameAsPrinted(double reproduced, double reference, ReportMetric metric) =>
        metric == ReportMetric.TestRmseArgminEpoch
            ? Math.Round(reproduced) == reference
            : Four(reproduced) == Four(reference);

    /// <summary>The value as the report prints it (four decimals), so a difference is between printed numbers.</summary>
    private static double Printed(double value) => double.Parse(Four(value), CultureInfo.InvariantCulture);

    public static string Seconds(double seconds) =>
        seconds >= 120 ? $"{seconds / 60:0.0} min".Replace(',', '.') : seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    public static string Engine(Engine engine) => engine.ToString().ToLowerInvariant();

    public static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The settings that tell runs apart, e.g. <c>mlp η=0.01 hidden=200×1 relu dropout=0.3 sgd batch=1 epochs=20</c>.</summary>
    public static string Configuration(TrainingOptions o)
    {
        var parts = new List<string> { o.Model.ToString(), $"η={Invariant(o.LearningRate)}" };
        if (o.Model is ModelKind.Mlp or ModelKind.NeuralRegressor)
        {
            parts.Add(o.Layers == 1 ? $"hidden={o.HiddenSize}" : $"hidden={o.HiddenSize}×{o.Layers}");
            parts.Add(o.Activation.ToString().ToLowerInvariant());
        }
        if (o.Dropout > 0)
            parts.Add($"dropout={Invariant(o.Dropout)}");
        parts.Add(o.Optimizer.ToString().ToLowerInvariant());
        if (o.L2 > 0)
            parts.Add($"l2={Invariant(o.L2)}");
        parts.Add($"batch={o.BatchSize}");
        parts.Add($"epochs={o.Epochs}");
        parts.Add(o.Precision == Precision.Float32 ? "f32" : "f64");
        if (o.TrainLimit is { } limit)
            parts.Add($"limit={limit}");
        return string.Join(' ', parts);
    }
}
