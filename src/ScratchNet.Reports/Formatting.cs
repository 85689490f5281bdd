using System.Globalization;
using ScratchNet.Training;

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
