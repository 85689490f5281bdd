using ScratchNet.Cli.Experiments;
using ScratchNet.Reports;
using ScratchNet.Runs;

namespace ScratchNet.Tests.Experiments;

public class ExperimentPlanTests
{
    [Fact]
    public void Scratch_plan_holds_every_experiment_of_the_report_once()
    {
        var plan = ExperimentPlan.Build([Engine.Scratch], quick: false);
        Assert.Equal(plan.Count, plan.Select(r => r.Name).Distinct().Count());
        Assert.Equal(["Q2.2a", "Q2.2b", "Q3.1a", "Q3.1b", "Q3.2b"], plan.Where(r => r.Study is null).Select(r => r.Section));
        Assert.Equal([0.001, 0.01, 0.1], plan.Where(r => r.Study == "q4.1").Select(r => r.Options.LearningRate));
        // Q4.2: the defaults plus one change at a time (η twice, hidden, dropout, activation, optimizer).
        Assert.Equal(7, plan.Count(r => r.Study == "q4.2"));
        Assert.Equal([2, 3], plan.Where(r => r.Study == "q4.3").Select(r => r.Options.Layers));
        Assert.All(plan, r => Assert.Equal(Engine.Scratch, r.Options.Engine));
        Assert.All(plan, r => r.Options.Validate());
    }

    [Fact]
    public void One_at_a_time_runs_differ_from_the_defaults_in_exactly_the_setting_they_name()
    {
        var plan = ExperimentPlan.Build([Engine.Scratch], quick: false);
        var defaults = plan.Single(r => r.Name == "q4.2-mlp-default").Options;
        Assert.Equal(defaults with { Dropout = 0.5 }, plan.Single(r => r.Name == "q4.2-mlp-dropout0.5").Options);
        Assert.Equal(defaults with { Optimizer = OptimizerKind.Adam }, plan.Single(r => r.Name == "q4.2-mlp-adam").Options);
        Assert.Equal(defaults with { HiddenSize = 100 }, plan.Single(r => r.Name == "q4.2-mlp-hidden100").Options);
    }

    [Fact]
    public void Torch_engine_adds_the_q4_studies_side_by_side()
    {
        var plan = ExperimentPlan.Build([Engine.Scratch, Engine.Torch], quick: false);
        var torch = plan.Where(r => r.Options.Engine == Engine.Torch).ToList();
        Assert.Equal(12, torch.Count);
        Assert.All(torch, r => Assert.StartsWith("q4.", r.Name, StringComparison.Ordinal));
        Assert.Equal(plan.Count, plan.Select(r => r.RelativeFolder).Distinct().Count());
    }

    [Fact]
    public void Quick_plan_is_a_labelled_subset_with_other_config_hashes()
    {
        var full = ExperimentPlan.Build([Engine.Scratch], quick: false);
        var quick = ExperimentPlan.Build([Engine.Scratch], quick: true);
        Assert.Equal(full.Select(r => r.Name), quick.Select(r => r.Name));
        Assert.All(quick.Where(r => !r.Options.IsRegression), r => Assert.Equal(ExperimentPlan.QuickTrainExamples, r.Options.TrainLimit));
        // A quick run must never be mistaken for (or skip) a full one.
        Assert.All(full.Zip(quick), pair => Assert.NotEqual(pair.First.Options.ConfigHash(), pair.Second.Options.ConfigHash()));
    }

    [Fact]
    public void Run_arguments_spell_out_every_option()
    {
        var options = Presets.For(ModelKind.Mlp, "q4") with { Engine = Engine.Scratch, TrainLimit = 500 };
        var args = RunArguments.For(options, "out/run");
        Assert.Equal(["classify", "mlp"], args.Take(2));
        string Value(string name) => args[args.ToList().IndexOf(name) + 1];
        Assert.Equal("scratch", Value("--engine"));
        Assert.Equal("0.01", Value("--lr"));
        Assert.Equal("0.3", Value("--dropout"));
        Assert.Equal("torch", Value("--init"));
        Assert.Equal("500", Value("--limit"));
        Assert.Equal("out/run", Value("--out"));
    }

    [Fact]
    public void Shell_line_quotes_only_what_needs_quoting()
    {
        Assert.Equal("./scratchnet classify mlp --out 'my runs/it'\\''s'", RunArguments.ShellLine("./scratchnet", ["classify", "mlp", "--out", "my runs/it's"]));
    }
}
