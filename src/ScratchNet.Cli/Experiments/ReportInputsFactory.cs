using ScratchNet.Calculus;
using ScratchNet.Data;
using ScratchNet.Reports;

namespace ScratchNet.Cli.Experiments;

/// <summary>What the report needs besides run folders: the Q1 claims (checked now, about a second) and the test images.</summary>
internal static class ReportInputsFactory
{
    public static ReportInputs Create(string? dataDir, bool quick, double? wallSeconds, Action<string> warn) =>
        Create(DataLocator.FromEnvironment(dataDir), quick, wallSeconds, warn);

    public static ReportInputs Create(DataLocator locator, bool quick, double? wallSeconds, Action<string> warn)
    {
        var claims = ReportClaims.CheckAll(new CalculusCheckOptions())
            .Select(c => new CalculusClaim(
                $"{c.Section} {c.Statement}",
                string.Join("; ", c.Checks.Select(k => k.What)),
                c.Passed,
                $"{c.Checks.Sum(k => k.Points)} points"))
            .ToList();
        TestImageSource? images = null;
        try
        {
            var test = FashionMnist.LoadTestFrom(locator); // the test split only: the report's peak RSS (issue 16)
            images = index => test.Pixels(index);
        }
        catch (DataException e)
        {
            warn($"the grid of misclassified images is left out: {Options.SettingFlags.Message(e)}");
        }
        return new ReportInputs { Claims = claims, TestImages = images, Quick = quick, WallSeconds = wallSeconds };
    }
}
