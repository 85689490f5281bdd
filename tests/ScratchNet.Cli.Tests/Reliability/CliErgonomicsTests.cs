using System.CommandLine;
using System.Globalization;
using ScratchNet.Cli;
using ScratchNet.Cli.Experiments;
using ScratchNet.Runs;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.Reliability;

/// <summary>
/// The frictions a new user met (issue 19, parts 6 and 7), each as the command a person types and what the real CLI
/// process then shows: "did you mean", case-insensitive models, help without arguments, examples, options only where
/// they apply, the configuration block, and sweeps whose plan is printed before anything runs.
/// </summary>
public sealed class CliErgonomicsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("scratchnet-ergonomics-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string In(string name) => Path.Combine(_root, name);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static void AssertUsageError(CliProcess run, string expected)
    {
        Assert.True(run.ExitCode == ExitCodes.Usage, run.ToString());
        var lines = Lines(run.Error);
        Assert.Equal($"scratchnet: error: {expected}", lines[0]);
        // A command line that does not parse adds where the help is; nothing else follows.
        Assert.True(lines.Length == 1 || (lines.Length == 2 && lines[1].StartsWith("Run 'scratchnet", StringComparison.Ordinal)), run.ToString());
    }

    // ---- "did you mean", case-insensitive model names, help without arguments ----

    [Theory]
    [InlineData(new[] { "classify", "mlp", "--epoch", "3" }, "Unrecognized command or argument '--epoch'. Did you mean '--epochs'?")]
    [InlineData(new[] { "classify", "mlp", "--batch_size", "16" }, "Unrecognized command or argument '--batch_size'. Did you mean '--batch-size'?")]
    [InlineData(new[] { "classify", "mlp", "--learning-rate", "0.1" }, "Unrecognized command or argument '--learning-rate'. Did you mean '--lr'?")]
    [InlineData(new[] { "regress", "linear", "--Epochs", "3" }, "Unrecognized command or argument '--Epochs'. Did you mean '--epochs'?")]
    [InlineData(new[] { "clasify", "mlp", "--epochs", "3" }, "Unrecognized command or argument 'clasify'. Did you mean 'classify'?")]
    [InlineData(new[] { "reprodce" }, "Unrecognized command or argument 'reprodce'. Did you mean 'reproduce'?")]
    [InlineData(new[] { "classify", "mlpp" }, "Argument 'mlpp' not recognized. Must be one of: 'perceptron' 'logistic' 'mlp'. Did you mean 'mlp'?")]
    [InlineData(new[] { "sweep", "logistc", "--grid", "lr=0.1" }, "Argument 'logistc' not recognized. Must be one of: 'linear' 'neural' 'perceptron' 'logistic' 'mlp'. Did you mean 'logistic'?")]
    public void A_mistyped_name_gets_one_line_naming_the_closest_valid_one(string[] arguments, string expected)
    {
        var run = CliProcess.Run(_root, [.. arguments, "--out", In("never")]);

        AssertUsageError(run, expected);
        Assert.False(Directory.Exists(In("never")));
    }

    [Fact]
    public void A_name_nothing_resembles_gets_no_suggestion()
    {
        var run = CliProcess.Run(_root, "classify", "mlp", "--zzzzzz");

        AssertUsageError(run, "Unrecognized command or argument '--zzzzzz'.");
    }

    [Fact]
    public void Model_names_are_case_insensitive()
    {
        var data = RealData.RequireFashionMnist();
        var run = CliProcess.Run(_root, "classify", "MLP", "--epochs", "1", "--limit", "200", "--hidden", "8", "--data-dir", data, "--out", In("upper"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("mlp", PrintedConfiguration.Read(run.Output)["model"]);
        Assert.Equal(ModelKind.Mlp, RunFolder.ReadManifest(In("upper")).Options.Model);
    }

    [Fact]
    public void A_one_epoch_run_ends_with_done_1_epoch_in_the_singular()
    {
        var data = RealData.RequireFashionMnist();
        var run = CliProcess.Run(_root, "classify", "logistic", "--epochs", "1", "--limit", "200", "--data-dir", data, "--out", In("one-epoch"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("done: 1 epoch; steps took", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void No_arguments_prints_the_help_with_its_examples_and_exits_0()
    {
        var run = CliProcess.Run(_root);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Error);
        Assert.Contains("Usage:", run.Output, StringComparison.Ordinal);
        Assert.Contains("classify", run.Output, StringComparison.Ordinal);
        Assert.Contains("Examples:\n  ./scratchnet reproduce", run.Output, StringComparison.Ordinal);
    }

    // ---- examples, and options only where they apply ----

    public static TheoryData<string> EveryCommand()
    {
        var paths = new TheoryData<string>();
        void Add(Command command, string path)
        {
            paths.Add(path);
            foreach (var sub in command.Subcommands)
                Add(sub, $"{path} {sub.Name}".Trim());
        }
        Add(CliApp.BuildRoot(), "");
        return paths;
    }

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public void Every_help_ends_with_examples_of_that_command(string path)
    {
        var run = CliProcess.Run(_root, [.. path.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var examples = run.Output[run.Output.IndexOf("Examples:", StringComparison.Ordinal)..];
        Assert.Contains($"  ./scratchnet {path}".TrimEnd(), examples, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_shows_lambda_for_regress_only_and_dropout_and_engine_for_classify_only()
    {
        var classify = CliProcess.Run(_root, "classify", "--help").Output;
        var regress = CliProcess.Run(_root, "regress", "--help").Output;

        Assert.DoesNotContain("--lambda", classify, StringComparison.Ordinal);
        Assert.Contains("--dropout", classify, StringComparison.Ordinal);
        Assert.Contains("--engine", classify, StringComparison.Ordinal);
        Assert.Contains("--lambda", regress, StringComparison.Ordinal);
        Assert.DoesNotContain("--dropout", regress, StringComparison.Ordinal);
        Assert.DoesNotContain("--engine", regress, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "classify", "mlp", "--lambda", "3" }, "--lambda 3 does not apply to mlp: λ is the ridge term of the analytic solution computed beside linear regression (regress linear). Leave --lambda out.")]
    [InlineData(new[] { "classify", "logistic", "--hidden", "100" }, "--hidden 100 does not apply to logistic: logistic regression has no hidden layer (mlp and neural have). Leave --hidden out.")]
    [InlineData(new[] { "classify", "perceptron", "--activation", "tanh" }, "--activation tanh does not apply to perceptron: the perceptron has no hidden layer (mlp and neural have). Leave --activation out.")]
    [InlineData(new[] { "regress", "neural", "--dropout", "0.3" }, "--dropout 0.3 does not apply to neural: the neural regressor has no dropout (mlp has). Leave --dropout out.")]
    [InlineData(new[] { "regress", "linear", "--layers", "2" }, "--layers 2 does not apply to linear: linear regression has no hidden layer (mlp and neural have). Leave --layers out.")]
    public void An_option_the_model_does_not_have_is_refused_instead_of_ignored(string[] arguments, string expected)
    {
        var run = CliProcess.Run(_root, [.. arguments, "--data-dir", In("no-data"), "--out", In("never")]);

        AssertUsageError(run, expected);
        Assert.False(Directory.Exists(In("never")));
    }

    [Fact]
    public void A_worker_command_that_restates_every_setting_still_runs()
    {
        // reproduce and sweep spell out every option, including the ones logistic regression does not have.
        var options = Presets.For(ModelKind.LogisticRegression, "q3") with { Epochs = 1, TrainLimit = 200 };
        var arguments = RunArguments.For(options, In("worker"), RealData.RequireFashionMnist());
        Assert.Contains("--hidden", arguments);
        Assert.Contains("--lambda", arguments);

        var run = CliProcess.Run(_root, [.. arguments]);

        Assert.True(run.ExitCode == 0, run.ToString());
    }

    // ---- the configuration block ----

    [Theory]
    [InlineData("linear", null)]
    [InlineData("neural", "150")]
    public void Regress_prints_an_aligned_configuration_with_the_presets_own_values(string model, string? hidden)
    {
        var ames = RealData.RequireAmes();
        var run = CliProcess.Run(_root, "regress", model, "--epochs", "1", "--data-dir", ames, "--out", In(model));

        Assert.True(run.ExitCode == 0, run.ToString());
        var block = PrintedConfiguration.Block(run.Output);
        var valueColumn = block[0].Length - block[0].TrimStart()[block[0].Trim().IndexOf(' ', StringComparison.Ordinal)..].TrimStart().Length;
        Assert.All(block, line => Assert.Matches(@"^  [a-z0-9-]+ +\S", line));
        Assert.All(block, line => Assert.NotEqual(' ', line[valueColumn]));
        Assert.All(block, line => Assert.Equal(' ', line[valueColumn - 1]));
        var configuration = PrintedConfiguration.Read(run.Output);
        Assert.Equal((model, "q2", "1", "0.001"), (configuration["model"], configuration["preset"], configuration["epochs"], configuration["lr"]));
        Assert.Equal(hidden, configuration.GetValueOrDefault("hidden"));
        Assert.Equal(model == "linear", configuration.ContainsKey("lambda"));
        Assert.False(configuration.ContainsKey("dropout"));
    }

    // ---- train_accuracy ----

    [Fact]
    public void Train_accuracy_is_measured_each_epoch_and_shows_a_small_training_set_being_memorised()
    {
        var data = RealData.RequireFashionMnist();
        var run = CliProcess.Run(_root, "classify", "logistic", "--epochs", "8", "--limit", "100", "--data-dir", data, "--out", In("memorise"));

        Assert.True(run.ExitCode == 0, run.ToString());
        var epochs = MetricsCsv.Read(Path.Combine(In("memorise"), RunFolder.MetricsFile));
        Assert.Equal(8, epochs.Count);
        Assert.All(epochs, e => Assert.InRange(e.TrainAccuracy!.Value, 0, 1));
        // 100 images, 7850 weights: the training set is learnt better than the 10000 dev images (0.71 against 0.569).
        Assert.True(epochs[^1].TrainAccuracy > epochs[^1].DevAccuracy + 0.1, $"train {epochs[^1].TrainAccuracy}, dev {epochs[^1].DevAccuracy}");
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"train {epochs[^1].TrainAccuracy:F4}  dev {epochs[^1].DevAccuracy:F4}"), run.Output, StringComparison.Ordinal);
        Assert.Equal(epochs[^1].TrainAccuracy, RunFolder.ReadManifest(In("memorise")).Final["train_accuracy"]);
    }

    // ---- sweeps that cannot surprise ----

    [Fact]
    public void Sweep_with_repeated_grid_options_prints_its_plan_and_the_other_modes_count_before_anything_runs()
    {
        var jobs = In("not/yet/made/jobs.txt");
        var run = CliProcess.Run(_root, "sweep", "mlp", "--grid", "lr=0.001,0.01", "--grid", "hidden=100,200", "--out", In("sweep"), "--emit-jobs", jobs);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(
        [
            "sweep: 3 runs of mlp, mode one-at-a-time (the base, then each value changed alone); --mode grid would train 4.",
            "  base       preset q3: lr = 0.001, hidden = 200",
            "  lr0.01     lr = 0.01",
            "  hidden100  hidden = 100",
        ], Lines(run.Output).Take(4));
        Assert.Equal(3, File.ReadAllLines(jobs).Length); // --emit-jobs made the missing folders of its file
        Assert.False(Directory.Exists(In("sweep")), "--emit-jobs trains nothing");
    }

    [Fact]
    public void Sweep_mode_grid_trains_every_combination_and_says_so()
    {
        var jobs = In("grid.txt");
        var run = CliProcess.Run(_root, "sweep", "mlp", "--grid", "lr=0.001,0.01", "--grid", "hidden=100,200", "--mode", "grid", "--emit-jobs", jobs);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("sweep: 4 runs of mlp, mode grid (every combination); --mode one-at-a-time would train 3.", run.Output, StringComparison.Ordinal);
        Assert.Equal(4, File.ReadAllLines(jobs).Length);
    }

    [Fact]
    public void The_quoted_semicolon_form_plans_the_same_runs_as_repeated_grid_options()
    {
        var repeated = CliProcess.Run(_root, "sweep", "mlp", "--grid", "lr=0.001,0.01", "--grid", "hidden=100,200", "--emit-jobs", In("repeated.txt"));
        var joined = CliProcess.Run(_root, "sweep", "mlp", "--grid", "lr=0.001,0.01;hidden=100,200", "--emit-jobs", In("joined.txt"));

        Assert.True(repeated.ExitCode == 0 && joined.ExitCode == 0, $"{repeated}\n{joined}");
        Assert.Equal(File.ReadAllLines(In("repeated.txt")), File.ReadAllLines(In("joined.txt")));
    }

    [Theory]
    [InlineData("logistic", "hidden=100,200", "--grid hidden does not apply to logistic: logistic regression has no hidden layer (mlp and neural have); every run would be the same. Leave hidden out of --grid.")]
    [InlineData("linear", "dropout=0.1,0.2", "--grid dropout does not apply to linear: linear regression has no dropout (mlp has); every run would be the same. Leave dropout out of --grid.")]
    public void Sweep_keys_the_model_does_not_have_are_refused_before_anything_runs(string model, string grid, string expected)
    {
        var run = CliProcess.Run(_root, "sweep", model, "--grid", grid, "--out", In("never"));

        AssertUsageError(run, expected);
        Assert.Equal("", run.Output);
        Assert.False(Directory.Exists(In("never")));
    }

    [Fact]
    public void Emit_jobs_under_a_file_is_one_clear_error_and_writes_nothing()
    {
        File.WriteAllText(In("a-file"), "");
        var run = CliProcess.Run(_root, "sweep", "mlp", "--grid", "lr=0.1", "--emit-jobs", In("a-file/jobs.txt"));

        Assert.True(run.ExitCode == ExitCodes.Usage, run.ToString());
        Assert.StartsWith($"scratchnet: error: --emit-jobs {In("a-file/jobs.txt")}: cannot create its folder {In("a-file")}", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public void Sweep_help_explains_one_at_a_time_with_the_worked_example()
    {
        var help = CliProcess.Run(_root, "sweep", "--help").Output;

        Assert.Contains("--grid <KEY=V1,V2>", help, StringComparison.Ordinal);
        Assert.Contains("repeat --grid for each KEY", help, StringComparison.Ordinal);
        Assert.Contains("2 lr × 2 hidden values make 3 runs", help, StringComparison.Ordinal);
        Assert.Contains("2 × 2 = 4 runs", help, StringComparison.Ordinal);
        Assert.Contains("--mode grid", help, StringComparison.Ordinal);
    }

    // ---- the same at a real terminal ----

    [Fact]
    public void At_a_terminal_no_arguments_shows_the_help_and_a_typo_gets_a_suggestion()
    {
        var help = TerminalProcess.Run(_root, []);
        var typo = TerminalProcess.Run(_root, ["clasify", "logistic"]);

        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("Examples:", help.Screen, StringComparison.Ordinal);
        Assert.True(typo.ExitCode == ExitCodes.Usage, typo.ToString());
        Assert.Contains("Did you mean 'classify'?", typo.Screen, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", help.Screen + typo.Screen, StringComparison.Ordinal);
    }

    [Fact]
    public void At_a_terminal_a_sweep_prints_its_plan()
    {
        var run = TerminalProcess.Run(_root, ["sweep", "logistic", "--grid", "lr=0.0001,0.01", "--emit-jobs", In("terminal/jobs.txt")]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("sweep: 3 runs of logistic, mode one-at-a-time", run.Screen, StringComparison.Ordinal);
        Assert.Contains("3 commands written to", run.Screen, StringComparison.Ordinal);
    }
}
