using System.Buffers.Binary;
using System.Text.RegularExpressions;
using ScratchNet.Runs;

namespace ScratchNet.Reports.Tests;

/// <summary>Opens report.html in a real browser (headless Chromium) and checks what a reader would see.</summary>
public sealed partial class BrowserTests(FullReportFixture report) : IClassFixture<FullReportFixture>
{
    [Fact]
    public void Every_image_loads_and_the_headline_numbers_are_on_the_page()
    {
        var dom = HeadlessChromium.DumpDom(report.Output.HtmlPath);
        var loaded = ImagesLoaded().Match(dom);
        Assert.True(loaded.Success, "the page's load script did not run (no data-images-loaded on <body>)");
        var figures = report.Output.FigurePaths.Count / 2;
        Assert.Equal($"{figures}/{figures}", loaded.Groups[1].Value);
        Assert.Equal(16, figures);
        // Reference and reproduced numbers, and a difference.
        foreach (var number in new[] { "0.1105", "0.2382", "0.7126", "0.7013", "0.8503", "0.8403", "0.8776", "0.8704", "0.8712", "+0.0008", "0.8388", "0.8793", "0.8745" })
            Assert.Contains($">{number}<", dom, StringComparison.Ordinal);
        Assert.Contains("Chosen on the dev set (torch): q4.2-mlp-lr0.001", dom, StringComparison.Ordinal);
    }

    [Fact]
    public void A_screenshot_of_the_report_renders()
    {
        var shot = Path.Combine(Path.GetDirectoryName(report.Output.Folder)!, "report-screenshot.png");
        HeadlessChromium.Screenshot(report.Output.HtmlPath, shot, 1100, 2400);
        var png = File.ReadAllBytes(shot);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Equal(1100, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        // A blank page compresses to a few kB; tables, text and figures do not.
        Assert.True(png.Length > 50_000, $"screenshot is only {png.Length} bytes: the page looks empty");
    }

    [Fact]
    public void A_smoke_run_shows_its_banner_in_the_browser()
    {
        using var temp = new TempFolder("smoke");
        var options = SyntheticRuns.Q3(ModelKind.LogisticRegression) with { Epochs = 2, TrainLimit = 1000 };
        SyntheticRuns.Classifier(temp.Sub("runs"), "q3.1b-logistic", options, 0.70, 0.69);
        var output = ReportWriter.Write(RunLoader.Load([temp.Sub("runs")], false, _ => { }), new ReportInputs(), temp.Sub("report"));
        var dom = HeadlessChromium.DumpDom(output.HtmlPath);
        Assert.Contains("Smoke run — numbers are not comparable with the report.", dom, StringComparison.Ordinal);
        // Figure 5 and the confusion matrix; no grid of errors without test images.
        Assert.Equal(4, output.FigurePaths.Count);
        Assert.Contains("data-images-loaded=\"2/2\"", dom, StringComparison.Ordinal);
    }

    [GeneratedRegex("<body[^>]*data-images-loaded=\"([0-9]+/[0-9]+)\"")]
    private static partial Regex ImagesLoaded();
}
