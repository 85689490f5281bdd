using ScratchNet.Reports.Document;

namespace ScratchNet.Reports;

/// <summary>Where a written report is, and whether it is a smoke run.</summary>
public sealed record ReportOutput(string Folder, string MarkdownPath, string HtmlPath, IReadOnlyList<string> FigurePaths, bool IsSmokeRun);

/// <summary>
/// Writes the report: <c>report.md</c>, a self-contained <c>report.html</c> and <c>figures/*.png|svg</c>. The folder is
/// built under a temporary name beside <c>outDir</c> and moved into place at the end, so a failure never leaves half a report.
/// </summary>
public static class ReportWriter
{
    public const string MarkdownFile = "report.md";
    public const string HtmlFile = "report.html";
    public const string FiguresFolder = "figures";
    /// <summary>Written beside the report when runs differ only in their seed (see <see cref="SeedSpread"/>).</summary>
    public const string SeedSpreadFile = "seed-spread.json";

    /// <summary>The report as blocks and figures, without touching the disk.</summary>
    public static ReportDocument Build(IReadOnlyList<LoadedRun> runs, ReportInputs inputs)
    {
        if (runs.Count == 0)
            throw new DataException("No runs to report on.");
        return ReportBuilder.Build(runs, inputs);
    }

    /// <summary>Loads the run folders under <paramref name="runPaths"/> (see <see cref="RunLoader"/>) and writes the report.</summary>
    public static ReportOutput Write(IEnumerable<string> runPaths, ReportInputs inputs, string outDir, bool skipBad, Action<string> warn) =>
        Write(RunLoader.Load(runPaths, skipBad, warn), inputs, outDir);

    public static ReportOutput Write(IReadOnlyList<LoadedRun> runs, ReportInputs inputs, string outDir)
    {
        var document = Build(runs, inputs);
        var folder = Path.GetFullPath(outDir);
        var parent = Path.GetDirectoryName(folder) ?? throw new UsageException($"--out {outDir}: cannot write a report at the file-system root.");
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any() && !File.Exists(Path.Combine(folder, MarkdownFile)))
            throw new UsageException($"--out {outDir} exists, is not empty and holds no {MarkdownFile}: it is not a report folder, so it is left alone. Choose a new or empty folder.");
        try
        {
            Directory.CreateDirectory(parent);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--out {outDir}: cannot create {parent}: {e.Message}", e);
        }

        var name = Path.GetFileName(folder);
        var staging = Path.Combine(parent, $".{name}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            WriteFiles(document, staging);
            Replace(folder, staging, parent, name);
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
        var figures = document.Figures.SelectMany(f => new[] { ".png", ".svg" }.Select(ext => Path.Combine(folder, FiguresFolder, f.FileStem + ext))).ToList();
        return new ReportOutput(folder, Path.Combine(folder, MarkdownFile), Path.Combine(folder, HtmlFile), figures, ReportBuilder.IsSmokeRun(runs, inputs));
    }

    private static void WriteFiles(ReportDocument document, string staging)
    {
        var figures = Path.Combine(staging, FiguresFolder);
        Directory.CreateDirectory(figures);
        foreach (var figure in document.Figures)
        {
            File.WriteAllBytes(Path.Combine(figures, figure.FileStem + ".png"), figure.Png);
            File.WriteAllText(Path.Combine(figures, figure.FileStem + ".svg"), figure.Svg);
        }
        foreach (var attachment in document.Attachments)
            File.WriteAllText(Path.Combine(staging, attachment.FileName), attachment.Content);
        File.WriteAllText(Path.Combine(staging, MarkdownFile), MarkdownRenderer.Render(document));
        File.WriteAllText(Path.Combine(staging, HtmlFile), HtmlRenderer.Render(document));
    }

    /// <summary>Swaps the finished staging folder in; an old report is moved aside first and deleted only once the new one is in place.</summary>
    private static void Replace(string folder, string staging, string parent, string name)
    {
        if (!Directory.Exists(folder))
        {
            Directory.Move(staging, folder);
            return;
        }
        var previous = Path.Combine(parent, $".{name}.old-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.Move(folder, previous);
        try
        {
            Directory.Move(staging, folder);
        }
        catch
        {
            Directory.Move(previous, folder);
            throw;
        }
        Directory.Delete(previous, recursive: true);
    }
}
