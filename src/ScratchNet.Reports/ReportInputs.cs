namespace ScratchNet.Reports;

/// <summary>The 28×28 pixels (row-major bytes) of test image <paramref name="index"/>; e.g. <c>LabeledImages.Pixels</c>.</summary>
public delegate ReadOnlySpan<byte> TestImageSource(int index);

/// <summary>One row of the Q1 calculus summary: a claim of the report, how it was checked, and whether it held.</summary>
public sealed record CalculusClaim(string Claim, string Check, bool Holds, string? Detail = null);

/// <summary>Everything the report needs beyond the run folders. All optional.</summary>
public sealed record ReportInputs
{
    /// <summary>Which run is which figure; the report's structure by default.</summary>
    public ReportPlan Plan { get; init; } = ReportPlan.Report;

    /// <summary>The Q1 calculus claims and their checks; the section says where to get them when empty.</summary>
    public IReadOnlyList<CalculusClaim> Claims { get; init; } = [];

    /// <summary>Fashion-MNIST test images, for the grid of misclassified examples; without it the grid is left out.</summary>
    public TestImageSource? TestImages { get; init; }

    /// <summary>The runs come from a <c>--quick</c> smoke run (also detected from runs trained on a subset).</summary>
    public bool Quick { get; init; }

    /// <summary>Wall time of the command that produced the runs (e.g. <c>reproduce</c>), when known.</summary>
    public double? WallSeconds { get; init; }

    /// <summary>Shown in the report's header; the generation time by default.</summary>
    public DateTimeOffset? GeneratedUtc { get; init; }
}
