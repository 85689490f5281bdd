using System.Text.RegularExpressions;
using ScratchNet.Cli;
using ScratchNet.Runs;

namespace ScratchNet.Reports.Tests;

/// <summary>
/// The main job end to end, as CI can afford it: `reproduce --quick` trains every run of the plan in real worker
/// processes on the real data, writes the report, and the report opens in a real browser with every figure loaded.
/// </summary>
public sealed partial class ReproduceQuickTests : IDisposable
{
    private readonly TempFolder _temp = new("reproduce-quick");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Quick_reproduce_trains_every_run_writes_a_smoke_report_that_loads_in_a_browser_and_reruns_instantly()
    {
        var output = _temp.Sub("out");
        var data = DataFolder();
        var (code, stdout, stderr) = Run("reproduce", "--quick", "--out", output, "--data-dir", data);
        Assert.True(code == ExitCodes.Ok, $"reproduce --quick exited {code}\n{stdout}\n{stderr}");

        var runs = Directory.GetDirectories(Path.Combine(output, "runs", "scratch"));
        Assert.Equal(17, runs.Length);
        Assert.All(runs, run => Assert.Equal(RunStatus.Completed, RunFolder.ReadManifest(run).Status));
        Assert.All(runs, run => Assert.Equal(2000, RunFolder.ReadManifest(run).Options.TrainLimit ?? 2000));

        var html = Path.Combine(output, "report", "report.html");
        var dom = HeadlessChromium.DumpDom(html);
        var loaded = ImagesLoaded().Match(dom);
        Assert.True(loaded.Success, "the report's load script did not run");
        var parts = loaded.Groups[1].Value.Split('/');
        Assert.Equal(parts[1], parts[0]);
        // Figures 2a–9, the three study comparisons, the confusion matrix and the grid of misclassified test images.
        Assert.Equal("14", parts[1]);
        Assert.Contains("Smoke run", dom, StringComparison.Ordinal);
        foreach (var reference in new[] { "0.1105", "0.2382", "0.7126", "0.8403", "0.8704", "0.8388" })
            Assert.Contains($">{reference}<", dom, StringComparison.Ordinal);

        // A rerun finds every run finished (same config hash) and only rewrites the report.
        var (again, rerun, _) = Run("reproduce", "--quick", "--out", output, "--data-dir", data);
        Assert.Equal(ExitCodes.Ok, again);
        Assert.Equal(17, Regex.Matches(rerun, @"\] skipped ").Count);
    }

    // One --data-dir for both data sets (the compatible form): Debian's Fashion-MNIST, and the repository's bundled Ames.
    private string DataFolder()
    {
        var fashion = "/usr/share/datasets/fashion-mnist";
        var repo = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repo, "ScratchNet.sln")))
            repo = Path.GetDirectoryName(repo) ?? throw new InvalidOperationException("ScratchNet.sln not found above the test folder.");
        var ames = Path.Combine(repo, "data", "ames");
        Assert.True(Directory.Exists(fashion), "Fashion-MNIST is missing: apt-get install -y dataset-fashion-mnist");
        Assert.True(File.Exists(Path.Combine(ames, "AmesHousing.csv.gz")), $"Ames is missing: expected {ames}/AmesHousing.csv.gz (committed; git checkout -- data/ames)");
        var data = _temp.Sub("data");
        Directory.CreateDirectory(data);
        Directory.CreateSymbolicLink(Path.Combine(data, "fashion-mnist"), fashion);
        Directory.CreateSymbolicLink(Path.Combine(data, "ames"), ames);
        return data;
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [GeneratedRegex("<body[^>]*data-images-loaded=\"([0-9]+/[0-9]+)\"")]
    private static partial Regex ImagesLoaded();
}
