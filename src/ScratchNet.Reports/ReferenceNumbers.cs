namespace ScratchNet.Reports;

/// <summary>A number a run can be compared on.</summary>
public enum ReportMetric { FinalTrainRmse, FinalTestRmse, TestRmseArgminEpoch, FinalDevAccuracy, FinalTestAccuracy }

/// <summary>
/// A number the report (or REFERENCE.md) gives for the run named <see cref="RunName"/>; <see cref="Note"/> says what the
/// number is known to depend on, so a reader can tell an expected difference from a bug.
/// </summary>
public sealed record ReferenceNumber(string Section, string RunName, ReportMetric Metric, double Value, string Source, string? Note = null);

/// <summary>
/// Every number the report and <c>REFERENCE.md</c> give, in one table: the report prints each reproduced number beside
/// these, with the difference.
/// </summary>
public static class ReferenceNumbers
{
    private const string Course = "course pipeline (REFERENCE.md)";
    private const string Report = "the report";

    public static IReadOnlyList<ReferenceNumber> All { get; } =
    [
        new("Q2.2a", "q2.2a-linear", ReportMetric.FinalTrainRmse, 0.1105, Course),
        new("Q2.2a", "q2.2a-linear", ReportMetric.FinalTestRmse, 0.2382, Course),
        new("Q2.2a", "q2.2a-linear", ReportMetric.TestRmseArgminEpoch, 71, Course),
        new("Q2.2b", "q2.2b-neural", ReportMetric.FinalTrainRmse, 0.0986, Course),
        new("Q2.2b", "q2.2b-neural", ReportMetric.FinalTestRmse, 0.1655, Course),
        new("Q3.1a", "q3.1a-perceptron", ReportMetric.FinalDevAccuracy, 0.7126, Course),
        new("Q3.1a", "q3.1a-perceptron", ReportMetric.FinalTestAccuracy, 0.7013, Course),
        new("Q3.1b", "q3.1b-logistic", ReportMetric.FinalDevAccuracy, 0.8503, Course),
        new("Q3.1b", "q3.1b-logistic", ReportMetric.FinalTestAccuracy, 0.8403, Course),
        new("Q3.2b", "q3.2b-mlp", ReportMetric.FinalDevAccuracy, 0.8776, Course, MlpNote),
        new("Q3.2b", "q3.2b-mlp", ReportMetric.FinalTestAccuracy, 0.8704, Course, MlpNote),
        new("Q4.1", "q4.1-logistic-lr0.001", ReportMetric.FinalDevAccuracy, 0.8499, "PyTorch 1.13 (REFERENCE.md)", TorchStreamNote),
        new("Q4.1", "q4.1-logistic-lr0.001", ReportMetric.FinalTestAccuracy, 0.8388, Report, TorchStreamNote),
        new("Q4.2", "q4.2-mlp-lr0.001", ReportMetric.FinalTestAccuracy, 0.8793, Report, DropoutNote + " REFERENCE.md: 0.8793–0.8794."),
        new("Q4.3", "q4.3-mlp-layers2", ReportMetric.FinalTestAccuracy, 0.8745, Report, DropoutNote),
    ];

    private const string MlpNote = "The numpy MLP is chaotic under rounding: the same start and orders with another summation order end at 0.8782 / 0.8707; groups that drew the initial weights differently got 0.865–0.870.";
    private const string TorchStreamNote = "Reproducible with PyTorch's random stream (PyTorch 1.13 gave 0.8388 test, 0.8499 dev); another engine or stream moves it slightly.";
    private const string DropoutNote = "The Q4 MLPs depend on how dropout drew its masks (the course's PyTorch was an MKL build), so only closeness is expected.";

    public static double? Measure(LoadedRun run, ReportMetric metric) => metric switch
    {
        ReportMetric.FinalTrainRmse => run.FinalTrainRmse,
        ReportMetric.FinalTestRmse => run.FinalTestRmse,
        ReportMetric.TestRmseArgminEpoch => run.TestRmseArgminEpoch,
        ReportMetric.FinalDevAccuracy => run.FinalDevAccuracy,
        ReportMetric.FinalTestAccuracy => run.FinalTestAccuracy,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "unknown metric"),
    };

    public static string Describe(ReportMetric metric) => metric switch
    {
        ReportMetric.FinalTrainRmse => "train RMSE, last epoch",
        ReportMetric.FinalTestRmse => "test RMSE, last epoch",
        ReportMetric.TestRmseArgminEpoch => "epoch of lowest test RMSE",
        ReportMetric.FinalDevAccuracy => "dev accuracy, last epoch",
        ReportMetric.FinalTestAccuracy => "test accuracy",
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "unknown metric"),
    };
}
