using System.Globalization;
using ScratchNet.Runs;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.Reliability;

/// <summary>
/// Finished results are never destroyed, and <c>--resume DIR</c> just works, as a person meets them: the real CLI as a
/// child process (<see cref="CliProcess"/>) on small real runs. A refusal is one line, exit code 2, and leaves every
/// byte of the folder as it was; a resume takes the run's options from its manifest and ends byte-identical to an
/// uninterrupted run.
/// </summary>
public sealed class RunSafetyTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("scratchnet-safety-").FullName;
    private readonly string _data = RealData.RequireFashionMnist();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Dir(string name) => Path.Combine(_root, name);

    private string[] Logistic(string folder, int epochs, params string[] more) =>
        ["classify", "logistic", "--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--limit", "300", "--data-dir", _data, "--out", folder, .. more];

    private CliProcess Cli(params string[] arguments) => CliProcess.Run(_root, arguments);

    private CliProcess Succeeds(params string[] arguments)
    {
        var run = Cli(arguments);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run;
    }

    /// <summary>Every file of a folder with its bytes, to show that a refused command changed nothing.</summary>
    private static Dictionary<string, byte[]> Snapshot(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes);

    private static void AssertUnchanged(Dictionary<string, byte[]> before, string folder)
    {
        var after = Snapshot(folder);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in before)
            Assert.True(bytes.AsSpan().SequenceEqual(after[name]), $"{name} changed");
    }

    private static void AssertOneErrorLine(CliProcess run, int exitCode, params string[] fragments)
    {
        Assert.True(run.ExitCode == exitCode, run.ToString());
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("scratchnet: error: ", line, StringComparison.Ordinal);
        foreach (var fragment in fragments)
            Assert.Contains(fragment, line, StringComparison.Ordinal);
    }

    private static byte[] Model(string folder) => File.ReadAllBytes(Path.Combine(folder, RunFolder.ModelFile));

    private static List<EpochMetrics> MetricsWithoutTimes(string folder) => [.. RunFolder.ReadMetrics(folder).Select(e => e with { Seconds = 0 })];

    [Fact]
    public void A_new_run_into_a_finished_run_is_refused_naming_a_new_out_resume_and_overwrite()
    {
        var folder = Dir("finished");
        Succeeds(Logistic(folder, 2));
        var before = Snapshot(folder);

        var run = Cli(Logistic(folder, 3));

        AssertOneErrorLine(run, ExitCodes.Usage, "already holds a finished run (Completed, 2 of 2 epochs)", "a new --out", $"--resume {folder}", "--overwrite");
        AssertUnchanged(before, folder);
    }

    [Fact]
    public void A_new_run_into_a_folder_of_other_files_is_refused_and_writes_nothing()
    {
        var folder = Dir("notes");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "mine");
        var before = Snapshot(folder);

        var run = Cli(Logistic(folder, 1));

        AssertOneErrorLine(run, ExitCodes.Usage, "is not empty and is not a run folder (it holds notes.txt)", "a new --out", "--overwrite");
        AssertUnchanged(before, folder);
    }

    [Fact]
    public void Overwrite_replaces_the_run_and_leaves_other_files_alone()
    {
        var folder = Dir("replaced");
        Succeeds(Logistic(folder, 2));
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "mine");

        Succeeds(Logistic(folder, 1, "--overwrite"));

        var manifest = RunFolder.ReadManifest(folder);
        Assert.Equal((RunStatus.Completed, 1, 1), (manifest.Status, manifest.Options.Epochs, manifest.EpochsCompleted));
        Assert.Single(RunFolder.ReadMetrics(folder));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(folder, "notes.txt")));
    }

    [Fact]
    public void Default_run_folders_never_collide_even_within_one_second()
    {
        // Every default name of the next two minutes is taken (by a folder of someone's notes), so both runs, started
        // together, must find the same taken name and step to -2 and -3, one each.
        var runs = Path.Combine(_root, "runs");
        var start = DateTime.UtcNow;
        var taken = Enumerable.Range(0, 120).Select(s => Path.Combine(runs, "logistic-" + start.AddSeconds(s).ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture))).ToList();
        foreach (var folder in taken)
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "notes.txt"), "mine");
        }
        string[] arguments = ["classify", "logistic", "--epochs", "1", "--limit", "300", "--data-dir", _data];

        using var first = CliProcess.Start(_root, arguments);
        using var second = CliProcess.Start(_root, arguments);
        Assert.True(first.WaitForExit() == 0, first.ToString());
        Assert.True(second.WaitForExit() == 0, second.ToString());

        var folders = new[] { first, second }.Select(run => run.Output.Split('\n').Single(l => l.StartsWith("run folder: ", StringComparison.Ordinal))["run folder: ".Length..]).ToList();
        Assert.NotEqual(folders[0], folders[1]);
        Assert.All(folders, f => Assert.Matches(@"/runs/logistic-\d{8}-\d{6}-[23]$", f));
        Assert.All(folders, f => Assert.Equal(RunStatus.Completed, RunFolder.ReadManifest(f).Status));
        Assert.All(taken, f => Assert.Equal(["notes.txt"], Directory.GetFiles(f).Select(Path.GetFileName)));
    }

    [Fact]
    public void Reproduce_quick_has_its_own_default_folder()
    {
        var quick = Succeeds("reproduce", "--quick", "--list").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var full = Succeeds("reproduce", "--list").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.All(quick, line => Assert.Contains(" --out reproduce-quick/runs/", line, StringComparison.Ordinal));
        Assert.All(full, line => Assert.Contains(" --out reproduce/runs/", line, StringComparison.Ordinal));
    }

    [Fact]
    public void Sweep_moves_a_run_of_another_configuration_aside_instead_of_deleting_it()
    {
        var output = Dir("sweep");
        string[] Sweep(int epochs) => ["sweep", "logistic", "--grid", "lr=0.01", "--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--limit", "300", "--jobs", "1", "--data-dir", _data, "--out", output];
        Succeeds(Sweep(1));
        var baseRun = Path.Combine(output, "runs", "scratch", "base");
        var first = Snapshot(baseRun);

        var again = Succeeds(Sweep(2));

        var kept = again.Output.Split('\n').Where(l => l.StartsWith("kept: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, kept.Count); // base and lr0.01 both changed (1 → 2 epochs)
        var line = Assert.Single(kept, l => l.Contains(baseRun + " held a finished run (Completed, 1 of 1 epochs) of another configuration; moved to ", StringComparison.Ordinal));
        var movedTo = line[(line.LastIndexOf(" moved to ", StringComparison.Ordinal) + " moved to ".Length)..];
        Assert.Matches(@"/sweep/replaced-\d{8}-\d{6}/runs/scratch/base$", movedTo);
        AssertUnchanged(first, movedTo);
        Assert.Equal((RunStatus.Completed, 2), (RunFolder.ReadManifest(baseRun).Status, RunFolder.ReadManifest(baseRun).EpochsCompleted));

        // the sweep's ranking reads its own runs/ only: the kept runs are beside it, not in it
        Assert.Equal(3, File.ReadAllLines(Path.Combine(output, "sweep.csv")).Length);
    }

    [Fact]
    public void Resume_with_only_the_folder_continues_an_interrupted_run_to_the_uninterrupted_result()
    {
        string[] Mlp(string folder) =>
            ["classify", "mlp", "--epochs", "30", "--limit", "2000", "--hidden", "64", "--seed", "5", "--data-dir", _data, "--out", folder];
        var reference = Dir("uninterrupted");
        Succeeds(Mlp(reference));
        var folder = Dir("interrupted");
        using (var child = CliProcess.Start(_root, Mlp(folder)))
        {
            Assert.True(child.WaitForLine(l => l.StartsWith("epoch  1/30", StringComparison.Ordinal)), child.ToString());
            child.Interrupt();
            Assert.True(child.WaitForExit() == ExitCodes.Interrupted, child.ToString());
            Assert.Contains($"continue with: ./scratchnet classify mlp --resume {folder}", child.Output, StringComparison.Ordinal);
        }
        var stoppedAt = RunFolder.ReadManifest(folder).EpochsCompleted;
        Assert.InRange(stoppedAt, 1, 29);

        var resumed = Succeeds("classify", "mlp", "--resume", folder); // no option at all: they come from manifest.json

        Assert.Contains($"epoch {stoppedAt + 1,2}/30", resumed.Output, StringComparison.Ordinal); // epochs are padded to 2 digits
        Assert.DoesNotContain($"epoch {stoppedAt,2}/30", resumed.Output, StringComparison.Ordinal);
        Assert.Equal(Model(reference), Model(folder));
        Assert.Equal(MetricsWithoutTimes(reference), MetricsWithoutTimes(folder));
        Assert.Equal(RunFolder.ReadManifest(reference).ConfigHash, RunFolder.ReadManifest(folder).ConfigHash);
    }

    [Theory]
    [InlineData(new[] { "--lr", "0.5" }, "--lr 0.5 conflicts with the run's 0.001")]
    [InlineData(new[] { "--epochs", "4" }, "--epochs 4 conflicts with the run's 2")]
    [InlineData(new[] { "--optimizer", "adam", "--seed", "3" }, "--optimizer adam conflicts with the run's sgd; --seed 3 conflicts with the run's 42")]
    public void An_option_that_conflicts_with_the_resumed_run_is_an_error_naming_both_values(string[] options, string message)
    {
        var folder = Dir("conflict");
        Succeeds(Logistic(folder, 2));
        var before = Snapshot(folder);

        var run = Cli(["classify", "logistic", "--resume", folder, .. options]);

        AssertOneErrorLine(run, ExitCodes.Usage, message, "Leave the option out");
        if (options[0] == "--epochs")
            Assert.Contains("--extend-to EPOCHS", run.Error, StringComparison.Ordinal);
        AssertUnchanged(before, folder);
    }

    [Fact]
    public void Resume_with_another_model_names_the_command_that_resumes_the_run()
    {
        var folder = Dir("logistic");
        Succeeds(Logistic(folder, 1));
        var before = Snapshot(folder);

        var run = Cli("classify", "mlp", "--resume", folder);

        AssertOneErrorLine(run, ExitCodes.Usage, "holds a run of classify logistic, not of classify mlp", $"./scratchnet classify logistic --resume {folder}");
        AssertUnchanged(before, folder);
    }

    [Fact]
    public void Resume_of_a_finished_run_says_it_is_finished_and_trains_nothing()
    {
        var folder = Dir("done");
        Succeeds(Logistic(folder, 2));
        var before = Snapshot(folder);

        var run = Succeeds("classify", "logistic", "--resume", folder, "--epochs", "2"); // the run's own value is no conflict

        Assert.Equal($"{folder} is finished (2 of 2 epochs); nothing to train. To train it longer: --resume {folder} --extend-to EPOCHS.", run.Output.Trim());
        AssertUnchanged(before, folder);
    }

    [Theory]
    [InlineData("scratch")]
    [InlineData("torch")]
    public void Extend_to_trains_a_finished_run_longer_to_the_result_of_a_run_that_long_from_the_start(string engine)
    {
        string[] Run(string folder, int epochs) => ["classify", "mlp", "--engine", engine, "--hidden", "16", .. Logistic(folder, epochs)[2..]];
        var reference = Dir($"three-{engine}");
        Succeeds(Run(reference, 3));
        var folder = Dir($"extended-{engine}");
        Succeeds(Run(folder, 2));

        var extended = Succeeds("classify", "mlp", "--resume", folder, "--extend-to", "3");

        Assert.Contains("epoch 3/3", extended.Output, StringComparison.Ordinal);
        Assert.Equal(Model(reference), Model(folder));
        Assert.Equal(MetricsWithoutTimes(reference), MetricsWithoutTimes(folder));
        var manifest = RunFolder.ReadManifest(folder);
        Assert.Equal((3, 3, RunFolder.ReadManifest(reference).ConfigHash), (manifest.Options.Epochs, manifest.EpochsCompleted, manifest.ConfigHash));
    }

    [Theory]
    [InlineData(new[] { "--extend-to", "3" }, "--extend-to trains a run further: use it with --resume DIR")]
    [InlineData(new[] { "--resume" }, "--resume needs the run folder: --resume DIR")]
    public void Extend_to_without_resume_and_resume_without_a_folder_are_refused(string[] options, string message)
    {
        var run = Cli(["classify", "logistic", "--epochs", "1", "--data-dir", _data, .. options]);

        AssertOneErrorLine(run, ExitCodes.Usage, message);
        Assert.False(Directory.Exists(Path.Combine(_root, "runs")), "nothing may be written for a rejected command");
    }
}
