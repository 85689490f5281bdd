using ScratchNet.Runs;

namespace ScratchNet.Tests.RunFolders;

public sealed class RunFolderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"scratchnet-run-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir))
            Directory.Delete(_dir, recursive: true);
    }

    private static RunManifest Manifest(RunStatus status) => new()
    {
        Name = "q3-logistic",
        Status = status,
        Options = Presets.For(ModelKind.LogisticRegression, "q3"),
        ConfigHash = Presets.For(ModelKind.LogisticRegression, "q3").ConfigHash(),
        Environment = RunEnvironment.Current(),
        StartedUtc = new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero),
        EpochsCompleted = 2,
        Final = new Dictionary<string, double> { ["dev_accuracy"] = 0.8503, ["test_accuracy"] = 0.8403 },
    };

    [Fact]
    public void Manifest_and_metrics_round_trip()
    {
        var epochs = new[]
        {
            new EpochMetrics { Epoch = 1, Seconds = 0.25, TrainLoss = 0.5, DevAccuracy = 0.8, TestAccuracy = 0.79 },
            new EpochMetrics { Epoch = 2, Seconds = 0.125, TrainLoss = 1.0 / 3, DevAccuracy = 0.81, TestAccuracy = 0.8 },
        };
        using (var folder = RunFolder.Open(_dir))
        {
            folder.WriteManifest(Manifest(RunStatus.Completed));
            folder.WriteMetrics(epochs);
        }

        var manifest = RunFolder.ReadManifest(_dir);
        Assert.Equal(RunStatus.Completed, manifest.Status);
        Assert.Equal(ModelKind.LogisticRegression, manifest.Options.Model);
        Assert.Equal(0.8403, manifest.Final["test_accuracy"]);
        Assert.Equal(epochs, RunFolder.ReadMetrics(_dir)); // round-trip formatting: exact doubles
    }

    [Fact]
    public void Second_writer_is_refused_while_the_first_holds_the_lock()
    {
        using var first = RunFolder.Open(_dir);
        var error = Assert.Throws<ScratchNetException>(() => RunFolder.Open(_dir));
        Assert.Equal(ExitCodes.Locked, error.ExitCode);
        Assert.Contains("in use", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lock_is_released_on_dispose()
    {
        RunFolder.Open(_dir).Dispose();
        using var again = RunFolder.Open(_dir);
        Assert.False(File.Exists(Path.Combine(_dir, "missing")));
    }

    [Fact]
    public void Missing_manifest_is_a_data_error_naming_the_file()
    {
        Directory.CreateDirectory(_dir);
        var error = Assert.Throws<DataException>(() => RunFolder.ReadManifest(_dir));
        Assert.Contains("manifest.json", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("""{"schema":"other/9","name":"x"}""")]
    public void Corrupt_manifest_is_a_data_error(string content)
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, RunFolder.ManifestFile), content);
        Assert.Throws<DataException>(() => RunFolder.ReadManifest(_dir));
    }

    [Theory] // found while fuzzing the manifest reader: these loaded with null fields or an undefined status
    [InlineData("\"name\": \"q3-logistic\"", "\"name\": null")]
    [InlineData("\"options\": {", "\"options\": null, \"unused\": {")]
    [InlineData("\"final\": {", "\"final\": null, \"unused\": {")]
    [InlineData("\"status\": \"Completed\"", "\"status\": 7")]
    [InlineData("\"epochsCompleted\": 2", "\"epochsCompleted\": nan,\n")] // the JSON error quotes the token, newline and all
    public void Damaged_manifest_is_a_one_line_data_error(string valid, string damaged)
    {
        using (var folder = RunFolder.Open(_dir))
            folder.WriteManifest(Manifest(RunStatus.Completed));
        var path = Path.Combine(_dir, RunFolder.ManifestFile);
        var text = File.ReadAllText(path);
        Assert.Contains(valid, text, StringComparison.Ordinal);
        File.WriteAllText(path, text.Replace(valid, damaged, StringComparison.Ordinal));
        var error = Assert.Throws<DataException>(() => RunFolder.ReadManifest(_dir));
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Metrics_header_error_escapes_control_characters()
    {
        var error = Assert.Throws<DataException>(() => MetricsCsv.Parse(["epoch\u000b\u0085x"], "metrics.csv"));
        Assert.Contains("epoch\\x0B\\x85x", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("epoch,wrong\n1,2")]
    [InlineData(MetricsCsv.Header + "\n1,0.5,x,,,,,,,")]
    [InlineData(MetricsCsv.Header + "\n1,0.5")]
    public void Malformed_metrics_are_data_errors(string content)
    {
        Assert.Throws<DataException>(() => MetricsCsv.Parse(content.Split('\n'), "metrics.csv"));
    }
}
