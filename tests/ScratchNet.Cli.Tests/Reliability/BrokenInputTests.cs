using System.Security.Cryptography;
using ScratchNet.Data;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.Reliability;

/// <summary>
/// One broken input: <see cref="Build"/> writes it into a temporary folder and returns what to run on it (the CLI as a user
/// would type it, or a reader where no command reaches the check); the run must end with <see cref="ExitCode"/> and a
/// message holding every one of <see cref="Fragments"/> (what is wrong, and the fix).
/// </summary>
internal sealed record BrokenCase(string Name, int ExitCode, string[] Fragments, Func<TempDirectory, Func<(int Code, string Message)>> Build)
{
    /// <summary>Runs the CLI in-process; the message is everything it printed (data info reports on stdout).</summary>
    public static Func<(int, string)> RunCli(params string[] args) => () =>
    {
        var (code, output, error) = CliRunner.Run(args);
        return (code, error + output);
    };

    /// <summary>Calls a reader directly; a <see cref="ScratchNetException"/> gives its exit code and message.</summary>
    public static Func<(int, string)> CallReader(Action read) => () =>
    {
        try
        {
            read();
            return (ExitCodes.Ok, "(no error)");
        }
        catch (ScratchNetException e)
        {
            return (e.ExitCode, e.Message);
        }
    };
}

/// <summary>
/// The table of hostile and broken inputs (issue 8): every case fails with its documented exit code (docs/errors.md), one
/// clear message naming the problem and the fix, no stack trace, and leaves the folder exactly as it was.
/// </summary>
public class BrokenInputTests
{
    private static readonly Dictionary<string, BrokenCase> Cases =
        BrokenInputCases.All().ToDictionary(c => c.Name, StringComparer.Ordinal);

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Broken_input_exits_with_its_code_and_one_clear_message_and_writes_nothing(string name)
    {
        var broken = Cases[name];
        using var dir = new TempDirectory();
        var run = broken.Build(dir);
        var before = Snapshot(dir.Path);

        var (code, message) = run();

        Assert.True(code == broken.ExitCode, $"exit code {code}, expected {broken.ExitCode}; message: {message}");
        foreach (var fragment in broken.Fragments)
            Assert.True(message.Contains(fragment, StringComparison.Ordinal), $"the message lacks '{fragment}': {message}");
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal); // no stack trace
        Assert.Equal(before, Snapshot(dir.Path)); // no run folder, report, temp file or changed file left behind
    }

    [Fact]
    public void The_table_covers_every_category_of_the_issue()
    {
        var prefixes = Cases.Keys.Select(n => n[..n.IndexOf(':', StringComparison.Ordinal)]).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(new HashSet<string>(StringComparer.Ordinal) { "gzip", "idx", "fashion", "npy", "npz", "csv", "safetensors", "resume", "runs", "option" }, prefixes);
        Assert.True(Cases.Count >= 40, $"{Cases.Count} cases");
    }

    [Fact]
    public void An_idx_header_claiming_petabytes_in_a_100_byte_file_fails_fast_without_allocating_them()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("images", [.. DataFixtures.IdxHeader(60000, 60000, 60000), .. new byte[84]]);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<DataException>(() => IdxReader.Read(path, 3));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("the dimensions 60000 x 60000 need more than", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 200_000, $"allocated {allocated} bytes");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_bug_exits_1_with_its_stack_trace_instead_of_aborting()
    {
        using var error = new StringWriter();
        var code = ScratchNet.Cli.CliApp.Run(["version"], new FailingWriter(), error);
        Assert.Equal(ExitCodes.InternalError, code);
        Assert.Contains("scratchnet: internal error (a bug", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("   at ", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Standard output that fails on the first write, as a closed pipe would.</summary>
    private sealed class FailingWriter : StringWriter
    {
        public override void Write(char value) => throw new InvalidOperationException("standard output is closed");

        public override void Write(string? value) => throw new InvalidOperationException("standard output is closed");

        public override void WriteLine(string? value) => throw new InvalidOperationException("standard output is closed");
    }

    /// <summary>Every file and folder under <paramref name="root"/>: content hash for files, target for symbolic links.</summary>
    private static SortedDictionary<string, string> Snapshot(string root)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var relative = Path.GetRelativePath(root, entry.FullName);
            entries[relative] = entry switch
            {
                { LinkTarget: { } target } => "link " + target,
                DirectoryInfo => "folder",
                _ => Hash((FileInfo)entry),
            };
        }
        return entries;
    }

    /// <summary>The file's SHA-256; "empty" without opening it (a lock file another handle holds exclusively is empty).</summary>
    private static string Hash(FileInfo file)
    {
        if (file.Length == 0)
            return "empty";
        return Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file.FullName)));
    }
}
