using System.Diagnostics;
using System.Globalization;
using System.Text;
using ScratchNet.IO;
using ScratchNet.Reports.Document;

namespace ScratchNet.Reports;

/// <summary>Where a written report is, and whether it is a smoke run.</summary>
public sealed record ReportOutput(string Folder, string MarkdownPath, string HtmlPath, IReadOnlyList<string> FigurePaths, bool IsSmokeRun);

/// <summary>
/// Writes the report: <c>report.md</c>, a self-contained <c>report.html</c> and <c>figures/*.png|svg</c>. The folder is
/// built under a temporary name beside <c>outDir</c> and moved into place at the end, so a failure never leaves half a report:
/// a full disk (or any write fault) names the file that failed and leaves the previous report as it was, and a writer killed
/// mid-way leaves a temporary folder that the next one removes (or, killed between its two renames, the previous report
/// under a temporary name, which the next one puts back).
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
        var parent = Path.GetDirectoryName(folder) ?? throw MessageTerms.UsageError($"{{Out}} {outDir}: cannot write a report at the file-system root.");
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any() && !File.Exists(Path.Combine(folder, MarkdownFile)))
            throw MessageTerms.UsageError($"{{Out}} {outDir} exists, is not empty and holds no {MarkdownFile}: it is not a report folder, so it is left alone. Choose a new or empty folder.");
        try
        {
            Directory.CreateDirectory(parent);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw MessageTerms.UsageError($"{{Out}} {outDir}: cannot create {parent}: {e.Message}", e);
        }

        var name = Path.GetFileName(folder);
        RecoverFromKilledWriters(folder, parent, name);
        var staging = Path.Combine(parent, $".{name}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var kept = Directory.Exists(folder) ? $"the previous report in {folder} is intact" : "no report was written";
        try
        {
            WriteFiles(document, staging, folder, kept);
            Replace(folder, staging, parent, name);
        }
        catch (Exception e) when (OutputWriteException.IsWriteFault(e))
        {
            var fault = OutputWriteException.For(folder, e);
            throw fault.WithFix($"{fault.FixTemplate}; {kept}");
        }
        finally
        {
            TryDelete(staging);
        }
        var figures = document.Figures.SelectMany(f => new[] { ".png", ".svg" }.Select(ext => Path.Combine(folder, FiguresFolder, f.FileStem + ext))).ToList();
        return new ReportOutput(folder, Path.Combine(folder, MarkdownFile), Path.Combine(folder, HtmlFile), figures, ReportBuilder.IsSmokeRun(runs, inputs));
    }

    private static void WriteFiles(ReportDocument document, string staging, string folder, string kept)
    {
        // Each file is named as it would be in the report folder: the staging folder is gone once this fails.
        void Write(string relative, Action<string> write)
        {
            try
            {
                write(Path.Combine(staging, relative));
            }
            catch (Exception e) when (OutputWriteException.IsWriteFault(e))
            {
                var fault = OutputWriteException.For(Path.Combine(folder, relative), e);
                throw fault.WithFix($"{fault.FixTemplate}; {kept}");
            }
        }
        Write(FiguresFolder, path => Directory.CreateDirectory(path));
        foreach (var figure in document.Figures)
        {
            Write(Path.Combine(FiguresFolder, figure.FileStem + ".png"), path => WriteFile(path, figure.Png));
            Write(Path.Combine(FiguresFolder, figure.FileStem + ".svg"), path => WriteFile(path, Encoding.UTF8.GetBytes(figure.Svg)));
        }
        foreach (var attachment in document.Attachments)
            Write(attachment.FileName, path => WriteFile(path, Encoding.UTF8.GetBytes(attachment.Content)));
        var markdown = MarkdownRenderer.Render(document);
        Write(MarkdownFile, path => WriteFile(path, Encoding.UTF8.GetBytes(markdown)));
        Write(HtmlFile, path => WriteFile(path, Encoding.UTF8.GetBytes(HtmlPage.Render(document.Title, markdown, document.Figures))));
    }

    // Not File.WriteAllBytes: it preallocates, and a full disk then fails with a message-only IOException (no errno to
    // name the cause). Flushed to disk, so the folder swapped in is whole even after a power loss.
    private static void WriteFile(string path, byte[] bytes)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>
    /// What a writer killed mid-way (SIGKILL, power loss) left beside the report: its staging folder is deleted, and a
    /// previous report it had moved aside but not yet replaced is put back. Only folders of processes no longer alive.
    /// </summary>
    private static void RecoverFromKilledWriters(string folder, string parent, string name)
    {
        foreach (var path in Directory.EnumerateDirectories(parent, $".{name}.*-*-*"))
        {
            var parts = Path.GetFileName(path)[(name.Length + 2)..].Split('-');
            if (parts.Length != 3 || parts[0] is not ("tmp" or "old") || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || IsAlive(pid))
                continue;
            if (parts[0] == "old" && !Directory.Exists(folder))
                Directory.Move(path, folder);
            else
                TryDelete(path);
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // left for the next writer's recovery
        }
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
