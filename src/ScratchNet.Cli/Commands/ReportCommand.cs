using System.CommandLine;
using ScratchNet.Cli.Experiments;
using ScratchNet.Reports;

namespace ScratchNet.Cli.Commands;

/// <summary>`scratchnet report --runs DIR... [--out DIR]`: figures, report.md and report.html from run folders made anywhere.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var runs = new Option<string[]>("--runs")
        {
            Description = "Run folders, or folders that contain run folders (from reproduce, sweep, classify or regress, on any machine).",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var output = new Option<string>("--out")
        {
            Description = "Folder for report.md, report.html and figures/ (replaced as a whole when it already holds a report).",
            DefaultValueFactory = _ => "report",
        };
        var skipBad = new Option<bool>("--skip-bad") { Description = "Leave out unreadable run folders with a warning instead of failing." };
        var quick = new Option<bool>("--quick") { Description = "Label the whole report as a smoke run (automatic when every run trained on a subset; a smoke run among full runs is labelled on its own rows)." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Folder holding Fashion-MNIST, for the grid of misclassified test images [default: search as `data info` does].", HelpName = "DIR" };
        var command = new Command("report", "Write the report (figures, report.md, self-contained report.html) from run folders.") { runs, output, skipBad, quick, dataDir };
        command.SetAction(parse =>
        {
            var console = parse.InvocationConfiguration;
            var started = System.Diagnostics.Stopwatch.StartNew();
            void Warn(string warning) => console.Error.WriteLine($"scratchnet: warning: {warning}");
            // The run folders first: a bad one fails before the calculus checks and the test images are loaded.
            var loaded = RunLoader.Load(parse.GetValue(runs) ?? [], parse.GetValue(skipBad), Warn);
            var result = ReportWriter.Write(
                loaded,
                ReportInputsFactory.Create(parse.GetValue(dataDir), parse.GetValue(quick), wallSeconds: null, Warn),
                parse.GetValue(output)!);
            console.Output.WriteLine($"Report: {result.HtmlPath}");
            console.Output.WriteLine($"        {result.MarkdownPath} ({result.FigurePaths.Count / 2} figures in {Path.Combine(result.Folder, ReportWriter.FiguresFolder)}, {started.Elapsed.TotalSeconds:0.0} s)");
            var spread = Path.Combine(result.Folder, ReportWriter.SeedSpreadFile);
            if (File.Exists(spread))
                console.Output.WriteLine($"        {spread} (the spread over seeds, in the format of the tolerance evidence)");
            if (result.IsSmokeRun)
                console.Output.WriteLine("Smoke run: the numbers are not comparable with the report.");
            return 0;
        });
        return command;
    }
}
