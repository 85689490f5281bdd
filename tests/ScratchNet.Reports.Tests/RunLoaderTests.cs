using ScratchNet.Runs;

namespace ScratchNet.Reports.Tests;

public sealed class RunLoaderTests : IDisposable
{
    private readonly TempFolder _temp = new("loader");
    private readonly List<string> _warnings = [];

    public void Dispose() => _temp.Dispose();

    private IReadOnlyList<LoadedRun> Load(bool skipBad = false, params string[] paths) => RunLoader.Load(paths, skipBad, _warnings.Add);

    [Fact]
    public void A_run_folder_and_a_folder_of_nested_run_folders_are_both_found()
    {
        var single = SyntheticRuns.Classifier(_temp.Sub("machine-a"), "q3.1a-perceptron", SyntheticRuns.Q3(ModelKind.Perceptron), 0.71, 0.70);
        SyntheticRuns.Classifier(Path.Combine(_temp.Sub("machine-b"), "reproduce", "runs"), "q3.1b-logistic", SyntheticRuns.Q3(ModelKind.LogisticRegression), 0.85, 0.84);
        var runs = Load(false, single, _temp.Sub("machine-b"));
        Assert.Equal(["q3.1a-perceptron", "q3.1b-logistic"], runs.Select(r => r.Name));
        Assert.Equal(20, runs[0].Epochs.Count);
        Assert.Equal(SyntheticRuns.TestSize, runs[1].Predictions!.Count);
        Assert.Equal(0.85, runs[1].FinalDevAccuracy);
        Assert.Empty(_warnings);
    }

    [Fact]
    public void No_runs_is_a_data_error_naming_where_it_looked()
    {
        Directory.CreateDirectory(_temp.Sub("empty"));
        var error = Assert.Throws<DataException>(() => Load(false, _temp.Sub("empty")));
        Assert.Contains("No run folders", error.Message, StringComparison.Ordinal);
        Assert.Contains(_temp.Sub("empty"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_folder_is_a_usage_error() =>
        Assert.Contains("no such folder", Assert.Throws<UsageException>(() => Load(false, _temp.Sub("nope"))).Message, StringComparison.Ordinal);

    [Fact]
    public void A_corrupt_manifest_fails_naming_the_file_unless_skip_bad()
    {
        SyntheticRuns.Classifier(_temp.Sub("runs"), "q3.1a-perceptron", SyntheticRuns.Q3(ModelKind.Perceptron), 0.71, 0.70);
        var bad = SyntheticRuns.Classifier(_temp.Sub("runs"), "q3.1b-logistic", SyntheticRuns.Q3(ModelKind.LogisticRegression), 0.85, 0.84);
        File.WriteAllText(Path.Combine(bad, RunFolder.ManifestFile), "{ \"schema\": \"scratchnet.run/1\", \"name\": ");

        var error = Assert.Throws<DataException>(() => Load(false, _temp.Sub("runs")));
        Assert.Contains(Path.Combine(bad, RunFolder.ManifestFile), error.Message, StringComparison.Ordinal);
        Assert.Contains("Pass skipBad to leave out unreadable runs", error.Message, StringComparison.Ordinal);
        Assert.Contains("Pass {SkipBad} to leave out unreadable runs", error.Template, StringComparison.Ordinal); // the CLI names --skip-bad

        var runs = Load(true, _temp.Sub("runs"));
        Assert.Equal(["q3.1a-perceptron"], runs.Select(r => r.Name));
        Assert.Contains(_warnings, w => w.Contains(bad, StringComparison.Ordinal));
    }

    [Fact]
    public void A_malformed_predictions_file_is_a_data_error_naming_the_line()
    {
        var run = SyntheticRuns.Classifier(_temp.Sub("runs"), "q3.1a-perceptron", SyntheticRuns.Q3(ModelKind.Perceptron), 0.71, 0.70);
        File.WriteAllText(Path.Combine(run, RunFolder.PredictionsFile), "index,label,predicted\n0,3,3\n1,12,3\n");
        var error = Assert.Throws<DataException>(() => RunLoader.LoadOne(run));
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_that_failed_before_its_first_epoch_loads_with_no_epochs()
    {
        var run = SyntheticRuns.Classifier(_temp.Sub("runs"), "q3.2b-mlp", SyntheticRuns.Q3(ModelKind.Mlp), 0.1, 0.1, RunStatus.Failed, "out of memory", predictions: false);
        File.Delete(Path.Combine(run, RunFolder.MetricsFile));
        var loaded = RunLoader.LoadOne(run);
        Assert.Empty(loaded.Epochs);
        Assert.Null(loaded.Predictions);
    }

    [Fact]
    public void The_same_run_from_two_machines_keeps_the_one_that_finished_last_and_warns()
    {
        var options = SyntheticRuns.Q3(ModelKind.Perceptron);
        var older = SyntheticRuns.Classifier(_temp.Sub("a"), "q3.1a-perceptron", options, 0.70, 0.69);
        var newer = SyntheticRuns.Classifier(_temp.Sub("b"), "q3.1a-perceptron", options, 0.71, 0.70);
        var manifest = RunFolder.ReadManifest(newer);
        manifest.Write(Path.Combine(newer, RunFolder.ManifestFile));
        (manifest with { FinishedUtc = manifest.FinishedUtc!.Value.AddHours(1) }).Write(Path.Combine(newer, RunFolder.ManifestFile));

        var runs = Load(false, _temp.Sub("a"), _temp.Sub("b"));
        Assert.Equal(newer, Assert.Single(runs).Folder);
        Assert.Contains(_warnings, w => w.Contains(older, StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_name_on_two_engines_is_two_runs()
    {
        var logistic = SyntheticRuns.Q4(ModelKind.LogisticRegression);
        SyntheticRuns.Classifier(_temp.Sub("runs"), "q4.1-logistic-lr0.01", logistic, 0.84, 0.83);
        SyntheticRuns.Classifier(_temp.Sub("runs"), "q4.1-logistic-lr0.01", logistic with { Engine = Engine.Scratch }, 0.84, 0.83);
        Assert.Equal([Engine.Scratch, Engine.Torch], Load(false, _temp.Sub("runs")).Select(r => r.Engine));
        Assert.Empty(_warnings);
    }

    [Fact]
    public void Final_metrics_fall_back_to_the_last_epoch_that_measured_them()
    {
        var run = SyntheticRuns.Classifier(_temp.Sub("runs"), "q3.1a-perceptron", SyntheticRuns.Q3(ModelKind.Perceptron), 0.71, 0.70);
        var manifest = RunFolder.ReadManifest(run);
        (manifest with { Final = new Dictionary<string, double>() }).Write(Path.Combine(run, RunFolder.ManifestFile));
        var loaded = RunLoader.LoadOne(run);
        Assert.Equal(0.71, loaded.FinalDevAccuracy);
        Assert.Equal(0.70, loaded.FinalTestAccuracy);
        Assert.Null(loaded.FinalTestRmse);
    }
}
