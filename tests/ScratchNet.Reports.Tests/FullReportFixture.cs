namespace ScratchNet.Reports.Tests;

/// <summary>
/// The report of <see cref="SyntheticRuns.FullPlan"/>, written once per test class. Set SCRATCHNET_KEEP_TEST_REPORT to a
/// folder to keep the runs and the report there for a look.
/// </summary>
public sealed class FullReportFixture : IDisposable
{
    private readonly TempFolder? _temp;

    public FullReportFixture()
    {
        var keep = Environment.GetEnvironmentVariable("SCRATCHNET_KEEP_TEST_REPORT");
        var root = string.IsNullOrEmpty(keep) ? (_temp = new TempFolder("report")).Path : Path.Combine(keep, Guid.NewGuid().ToString("N")[..8]);
        RunsFolder = SyntheticRuns.FullPlan(Path.Combine(root, "runs"));
        Warnings = [];
        Runs = RunLoader.Load([RunsFolder], skipBad: false, Warnings.Add);
        Output = ReportWriter.Write(Runs, new ReportInputs { TestImages = i => SyntheticRuns.Image(i), Claims = Claims }, Path.Combine(root, "report"));
        Markdown = File.ReadAllText(Output.MarkdownPath);
        Html = File.ReadAllText(Output.HtmlPath);
    }

    public static IReadOnlyList<CalculusClaim> Claims { get; } =
    [
        new("σ'(x) = σ(x)(1 − σ(x))", "central differences at 1000 points", true, "max error 3e-11"),
        new("softmax Hessian is PSD", "eigenvalues of 200 random Hessians", false, "min eigenvalue -1e-3 <x>"),
    ];

    public string RunsFolder { get; }
    public List<string> Warnings { get; }
    public IReadOnlyList<LoadedRun> Runs { get; }
    public ReportOutput Output { get; }
    public string Markdown { get; }
    public string Html { get; }

    public void Dispose() => _temp?.Dispose();
}
