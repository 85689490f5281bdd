using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Reliability;

/// <summary>
/// `report` under faults of the machine, for real in child processes: a full disk while it writes (a tmpfs) must leave the
/// previous report as it was and name the file that failed; SIGKILL at seeded moments must leave either the previous
/// report or the new one, every file whole, and the next run must end with the same report as an uninterrupted one.
/// </summary>
public sealed partial class ReportFaultTests(ReportFaultTests.Runs runs, ITestOutputHelper log) : IClassFixture<ReportFaultTests.Runs>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("scratchnet-report-faults-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>One small classifier run (its report has a confusion matrix and an error gallery), trained once for the class.</summary>
    public sealed class Runs : IDisposable
    {
        public string Root { get; } = Directory.CreateTempSubdirectory("scratchnet-report-runs-").FullName;

        public string Folder => Path.Combine(Root, "runs");

        public Runs()
        {
            var run = CliProcess.Run(Root, "classify", "logistic", "--epochs", "2", "--limit", "500", "--data-dir", Data.RealData.RequireFashionMnist(),
                "--out", Path.Combine(Folder, "logistic"));
            Assert.True(run.ExitCode == 0, run.ToString());
        }

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }

    private CliProcess Start(string outDir) =>
        CliProcess.Start(_root, ["report", "--runs", runs.Folder, "--data-dir", Data.RealData.RequireFashionMnist(), "--out", outDir]);

    private CliProcess Report(string outDir)
    {
        var child = Start(outDir);
        child.WaitForExit();
        return child;
    }

    /// <summary>Every file of a report folder parses: PNGs whole to their IEND chunk, SVGs as XML, the Markdown and HTML complete.</summary>
    internal static void AssertWholeReport(string folder)
    {
        byte[] iend = [0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82];
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(Path.Combine(folder, "report.md"), files);
        Assert.Contains(Path.Combine(folder, "report.html"), files);
        foreach (var path in files)
        {
            switch (Path.GetExtension(path))
            {
                case ".png":
                    var png = File.ReadAllBytes(path);
                    Assert.True(png.AsSpan().StartsWith(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10 }) && png.AsSpan().EndsWith(iend), $"{path} is not a whole PNG");
                    break;
                case ".svg":
                    Assert.Equal("svg", XDocument.Load(path).Root!.Name.LocalName);
                    break;
                case ".md":
                    Assert.StartsWith("# ScratchNet", File.ReadAllText(path), StringComparison.Ordinal);
                    break;
                case ".html":
                    var html = File.ReadAllText(path);
                    Assert.True(html.StartsWith("<!DOCTYPE html>", StringComparison.Ordinal) && html.TrimEnd().EndsWith("</html>", StringComparison.Ordinal), $"{path} is not a whole HTML page");
                    break;
                default:
                    Assert.Fail($"unexpected file {path}");
                    break;
            }
        }
    }

    // The files by relative name; the report's "Generated <minute> UTC" line is masked, the one part that differs between two runs.
    private static Dictionary<string, byte[]> Snapshot(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(path => Path.GetRelativePath(folder, path), path =>
            Path.GetExtension(path) is ".md" or ".html"
                ? System.Text.Encoding.UTF8.GetBytes(GeneratedAt().Replace(File.ReadAllText(path), "Generated (time) UTC"))
                : File.ReadAllBytes(path));

    [GeneratedRegex(@"Generated \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC")]
    private static partial Regex GeneratedAt();

    private static void AssertSame(Dictionary<string, byte[]> expected, Dictionary<string, byte[]> actual, string what)
    {
        Assert.True(expected.Keys.Order().SequenceEqual(actual.Keys.Order()), $"{what}: files {string.Join(", ", actual.Keys.Order())}, expected {string.Join(", ", expected.Keys.Order())}");
        foreach (var (name, bytes) in expected)
            Assert.True(bytes.AsSpan().SequenceEqual(actual[name]), $"{what}: {name} differs");
    }

    private static bool Same(Dictionary<string, byte[]> a, Dictionary<string, byte[]> b) =>
        a.Keys.Order().SequenceEqual(b.Keys.Order()) && a.All(pair => pair.Value.AsSpan().SequenceEqual(b[pair.Key]));

    [SkippableFact]
    public void Full_disk_while_writing_the_report_exits_8_naming_the_file_and_leaves_the_previous_report_intact()
    {
        using var disk = TmpfsMount.Create("4m");
        var folder = Path.Combine(disk.Path, "report");
        var first = Report(folder);
        Assert.True(first.ExitCode == 0, first.ToString());
        var previous = Snapshot(folder);
        var used = previous.Values.Sum(bytes => bytes.Length);
        // Room for the report once, not for a second copy beside it.
        disk.Remount($"size={(used + (used / 3)) / 1024}k");

        var full = Report(folder);
        log.WriteLine($"report of {used} bytes on a {(used + (used / 3)) / 1024} KiB disk: exit {full.ExitCode}: {full.Error}");
        Assert.True(full.ExitCode == ExitCodes.CannotWrite, full.ToString());
        Assert.Matches(
            $"^scratchnet: error: cannot write {Regex.Escape(folder)}/(figures/[a-z0-9-]+\\.(png|svg)|report\\.md|report\\.html): no space left on device \\(ENOSPC\\); " +
            $"free space or choose another --out; the previous report in {Regex.Escape(folder)} is intact\\.$",
            EnvironmentFaultTests.OneErrorLine(full));
        AssertWholeReport(folder);
        AssertSame(previous, Snapshot(folder), "the previous report after a full disk");
        Assert.Equal(["report"], Directory.EnumerateFileSystemEntries(disk.Path).Select(Path.GetFileName)); // no staging folder left
    }

    [Fact]
    public void Report_writer_sigkilled_at_seeded_moments_leaves_a_whole_report_and_the_rerun_ends_with_the_same_report()
    {
        var referenceFolder = Path.Combine(_root, "reference");
        var uninterrupted = Start(referenceFolder);
        Assert.True(uninterrupted.WaitForExit() == 0, uninterrupted.ToString());
        var seconds = uninterrupted.Elapsed.TotalSeconds;
        var whole = seconds;
        var reference = Snapshot(referenceFolder);
        AssertWholeReport(referenceFolder);

        // The previous report differs from the new one, so a mix of the two would show.
        var parent = Path.Combine(_root, "out");
        var folder = Path.Combine(parent, "report");
        foreach (var (name, bytes) in reference)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, name))!);
            File.WriteAllBytes(Path.Combine(folder, name), bytes);
        }
        File.AppendAllText(Path.Combine(folder, "report.md"), "\n(the previous report)\n");
        var previous = Snapshot(folder);

        var random = new Random(18);
        var landed = new List<string>();
        for (var kill = 0; kill < 8; kill++)
        {
            // Most of a run is startup, loading and rendering; the later half of it holds the writing.
            var delay = TimeSpan.FromSeconds(seconds * (0.3 + (0.8 * random.NextDouble())));
            using var child = Start(folder);
            Thread.Sleep(delay);
            if (child.HasExited)
            {
                Assert.True(child.ExitCode == 0, child.ToString());
                AssertSame(reference, Snapshot(folder), "the report of a run that ended before its kill");
                landed.Add($"{delay.TotalMilliseconds:0} ms: after the end");
                seconds = Math.Min(seconds, 0.8 * delay.TotalSeconds); // the first run was slower (a cold start): aim earlier
                continue;
            }
            child.Kill();
            string state;
            if (Directory.Exists(folder))
            {
                AssertWholeReport(folder);
                var now = Snapshot(folder);
                state = Same(now, previous) ? "previous report intact" : Same(now, reference) ? "new report in place" : "MIXED";
                Assert.True(state != "MIXED", $"after a kill at {delay.TotalMilliseconds:0} ms the report is neither the previous nor the new one");
            }
            else
            {
                // Killed between moving the previous report aside and moving the new one in: the previous is whole beside it.
                var aside = Assert.Single(Directory.EnumerateDirectories(parent, ".report.old-*"));
                AssertSame(previous, Snapshot(aside), "the previous report moved aside");
                state = "between the two renames";
            }
            landed.Add($"{delay.TotalMilliseconds:0} ms: {state}");
        }
        foreach (var line in landed)
            log.WriteLine($"SIGKILL at {line} (the uninterrupted run took {whole:0.0} s)");
        Assert.True(landed.Count(line => !line.EndsWith("after the end", StringComparison.Ordinal)) >= 3, $"fewer than 3 kills landed while the report was written: {string.Join("; ", landed)}");

        // What a writer killed in its first moments leaves too: its staging folder, here under the pid of a process that has exited.
        var staging = Path.Combine(parent, $".report.tmp-{uninterrupted.Id}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(staging, "figures"));
        File.WriteAllBytes(Path.Combine(staging, "figures", "half.png"), [0x89, (byte)'P']);

        var rerun = Report(folder);
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        AssertWholeReport(folder);
        AssertSame(reference, Snapshot(folder), "the report after the rerun");
        Assert.Equal(["report"], Directory.EnumerateFileSystemEntries(parent).Select(Path.GetFileName)); // the killed writers' leftovers are gone
    }
}
