using ScratchNet.Cli.Experiments;
using ScratchNet.Models;
using ScratchNet.Runs;

namespace ScratchNet.Tests.Experiments;

public sealed class SweepTests : IDisposable
{
    private static readonly TrainingOptions Base = Presets.For(ModelKind.Mlp, "q4") with { Engine = Engine.Scratch };
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"scratchnet-sweep-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir))
            Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Full_grid_is_the_cartesian_product_with_names_that_say_the_settings()
    {
        var runs = SweepGrid.Parse("lr=0.001,0.01,0.1; hidden=100,200").Expand(Base, SweepMode.Grid);
        Assert.Equal(6, runs.Count);
        Assert.Contains(runs, r => r.Name == "lr0.1-hidden100" && r.Options == Base with { LearningRate = 0.1, HiddenSize = 100 });
        Assert.Equal(6, runs.Select(r => r.Options.ConfigHash()).Distinct().Count());
    }

    [Fact]
    public void One_at_a_time_changes_one_setting_from_the_base_and_keeps_each_configuration_once()
    {
        // lr = 0.01 and hidden = 200 are the base's own values: they are the base run, not extra runs.
        var runs = SweepGrid.Parse("lr=0.001,0.01;hidden=100,200;activation=tanh").Expand(Base, SweepMode.OneAtATime);
        Assert.Equal(["base", "lr0.001", "hidden100", "activationtanh"], runs.Select(r => r.Name));
        Assert.Equal(Base with { Activation = Activation.Tanh }, runs[^1].Options);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("speed=1", "KEY one of")]
    [InlineData("lr=fast", "not a number")]
    [InlineData("activation=sigmoid", "not one of relu, tanh")]
    [InlineData("lr=0.1;lr=0.2", "twice")]
    [InlineData("hidden=", "no values")]
    public void Malformed_grids_are_usage_errors_that_say_what_is_wrong(string grid, string fragment)
    {
        var error = Assert.Throws<UsageException>(() => SweepGrid.Parse(grid).Expand(Base, SweepMode.Grid));
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_range_values_in_the_grid_are_rejected_before_any_run()
    {
        var error = Assert.Throws<UsageException>(() => SweepGrid.Parse("dropout=0.2,1.5").Expand(Base, SweepMode.Grid));
        Assert.StartsWith("The dropout probability 1.5 is out of range", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Emit_jobs_writes_one_self_contained_command_per_configuration()
    {
        Directory.CreateDirectory(_dir);
        var file = Path.Combine(_dir, "jobs.txt");
        var (code, output, _) = CliRunner.Run("sweep", "mlp", "--grid", "lr=0.001,0.1;layers=2", "--mode", "grid", "--limit", "500", "--out", Path.Combine(_dir, "out"), "--emit-jobs", file);
        Assert.Equal(ExitCodes.Ok, code);
        var lines = File.ReadAllLines(file);
        Assert.Equal(2, lines.Length);
        // Idempotent: a run whose manifest says Completed is skipped (SchedulerTests reruns them for real).
        Assert.All(lines, line => Assert.StartsWith("grep -qsE '\"status\": *\"Completed\"' ", line, StringComparison.Ordinal));
        Assert.All(lines, line => Assert.Contains("manifest.json || ./scratchnet classify mlp --engine scratch", line, StringComparison.Ordinal));
        Assert.Contains("--lr 0.1 ", lines[1], StringComparison.Ordinal);
        Assert.All(lines, line => Assert.Contains("--layers 2 ", line, StringComparison.Ordinal));
        Assert.All(lines, line => Assert.Contains("--limit 500 ", line, StringComparison.Ordinal));
        Assert.Contains("report --runs", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out", "runs")), "--emit-jobs must not train");
    }
}
