using System.CommandLine;
using System.Globalization;
using System.Text;
using ScratchNet.Cli.Experiments;
using ScratchNet.Cli.Options;
using ScratchNet.IO;
using ScratchNet.Reports;
using ScratchNet.Runs;

namespace ScratchNet.Cli.Commands;

/// <summary>
/// `scratchnet sweep MODEL --grid lr=0.001,0.01 --grid hidden=100,200`: the reproduce machinery for any grid — parallel workers,
/// finished runs skipped — then a table ranked on the dev set (sweep.csv). `--emit-jobs FILE` writes one self-contained
/// command per configuration instead, for GNU parallel or a Slurm job array; `report --runs` merges their run folders.
/// </summary>
internal static class SweepCommand
{
    private static readonly Dictionary<string, ModelKind> Models = new()
    {
        ["linear"] = ModelKind.LinearRegression, ["neural"] = ModelKind.NeuralRegressor, ["perceptron"] = ModelKind.Perceptron,
        ["logistic"] = ModelKind.LogisticRegression, ["mlp"] = ModelKind.Mlp,
    };

    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "linear, neural, perceptron, logistic or mlp" }.OneOf([.. Models.Keys]);
        var grid = new Option<string[]>("--grid")
        {
            Description = "Settings to try, KEY=V1,V2,…; repeat --grid for each KEY (no quotes needed), or join them with ';' inside quotes. " +
                $"KEY: {string.Join(", ", OptionTable.SweepKeys.Select(o => o.Name))}; {OnlySome()}.",
            Required = true, AllowMultipleArgumentsPerToken = false, HelpName = "KEY=V1,V2",
        };
        var mode = new Option<string>("--mode")
        {
            Description = "one-at-a-time: the base run, plus one run per value with only that setting changed (as Q4.2; a value equal to the " +
                "base's is the base run), so 2 lr × 2 hidden values make 3 runs when one of each is the base's, 5 when none is. " +
                "grid: every combination, 2 × 2 = 4 runs. The planned runs are printed before the first starts.",
            DefaultValueFactory = _ => "one-at-a-time",
        }.AcceptOnlyFromAmong("one-at-a-time", "grid");
        var preset = new Option<string?>("--preset") { Description = $"Base settings: {Presets.Describe()} [default: q4 for --engine torch, else the model's question]" };
        var engine = new Option<string>("--engine") { Description = "scratch or torch.", DefaultValueFactory = _ => "scratch" }.AcceptOnlyFromAmong("scratch", "torch");
        var epochs = new Option<int?>("--epochs") { Description = "Epochs of every run [default: the preset's]" }.Integer();
        var limit = new Option<int?>("--limit") { Description = "Train on the first N training examples only [default: all]" }.Integer();
        var output = new Option<string>("--out") { Description = "Folder for runs/ and sweep.csv; a run there of another configuration is moved to DIR/replaced-TIME/, never deleted.", DefaultValueFactory = _ => "sweep", HelpName = "DIR" };
        var jobs = new Option<int>("--jobs") { Description = "Worker processes running at once.", DefaultValueFactory = _ => Environment.ProcessorCount }.Integer();
        var dataDir = new Option<string?>("--data-dir") { Description = "Folder holding the data sets [default: searched as `data info` does].", HelpName = "DIR" };
        var emitJobs = new Option<string?>("--emit-jobs") { Description = "Write one self-contained ./scratchnet command per configuration to FILE and exit (for GNU parallel or a Slurm array).", HelpName = "FILE" };
        var format = new Option<string>("--format")
        {
            Description = "With --emit-jobs: lines (one idempotent command per line, for GNU parallel) or slurm (an sbatch --array script, one configuration per task).",
            DefaultValueFactory = _ => "lines",
        }.AcceptOnlyFromAmong("lines", "slurm");
        var command = new Command("sweep", "Train a grid of configurations in parallel and rank them on the dev set.")
        {
            model, grid, mode, preset, engine, epochs, limit, output, jobs, dataDir, emitJobs, format,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var kind = Models[parse.GetValue(model)!];
            var engineKind = parse.GetValue(engine) == "torch" ? Engine.Torch : Engine.Scratch;
            var presetName = parse.GetValue(preset) ?? (engineKind == Engine.Torch ? "q4" : Presets.DefaultFor(kind));
            var baseline = Presets.For(kind, presetName).OnEngine(engineKind);
            baseline = baseline with { Epochs = parse.GetValue(epochs) ?? baseline.Epochs, TrainLimit = parse.GetValue(limit) ?? baseline.TrainLimit };
            var sweepMode = parse.GetValue(mode) == "grid" ? SweepMode.Grid : SweepMode.OneAtATime;
            var sweepGrid = SweepGrid.Parse(parse.GetValue(grid)!);
            var experiments = sweepGrid.Expand(baseline.Validate(), sweepMode);
            var other = sweepMode == SweepMode.Grid ? SweepMode.OneAtATime : SweepMode.Grid;
            var otherCount = sweepGrid.Expand(baseline, other).Count;
            var outDir = parse.GetValue(output)!;
            var planned = experiments.Select(e =>
            {
                var folder = Path.Combine(outDir, e.RelativeFolder);
                return new Job(e, folder, RunArguments.For(e.Options, folder, parse.GetValue(dataDir)));
            }).ToList();
            var console = parse.InvocationConfiguration.Output;
            if (parse.GetValue(emitJobs) is { } jobsFile)
                CreateFolderOf(jobsFile);
            console.Write(Plan(parse.GetValue(model)!, $"preset {presetName}: {sweepGrid.BaseSetting(baseline)}", experiments, sweepMode, otherCount));
            if (parse.GetValue(emitJobs) is { } file)
            {
                var commands = planned.Select(j => (j.Folder, j.Arguments)).ToList();
                var logFolder = Path.GetDirectoryName(Path.GetFullPath(file))!;
                AtomicFile.WriteAllText(file, parse.GetValue(format) == "slurm" ? JobScript.Slurm(commands, logFolder) : JobScript.Lines(commands));
                console.WriteLine($"{planned.Count} commands written to {file}; merge their runs with: ./scratchnet report --runs {Path.Combine(outDir, "runs")}");
                return ExitCodes.Ok;
            }
            var workers = parse.GetValue(jobs);
            if (workers is < 1 or > 64)
                throw new UsageException($"--jobs {workers} is out of range: expected an integer from 1 to 64.");
            console.WriteLine($"running {workers} at a time on the {engineKind.ToString().ToLowerInvariant()} engine, into {Path.GetFullPath(outDir)}");
            JobRunner.SetAside(planned, console.WriteLine);
            var results = await new JobRunner(WorkerCommand.ThisCli(), workers, new PlainJobProgress(console, planned.Count))
                .RunAsync(planned, cancellation).ConfigureAwait(false);
            var ranked = Rank(results, baseline.IsRegression);
            console.WriteLine();
            console.Write(Table(ranked, baseline.IsRegression));
            var csv = Path.Combine(outDir, "sweep.csv");
            AtomicFile.WriteAllText(csv, Csv(ranked));
            console.WriteLine($"Ranked table: {csv}");
            if (cancellation.IsCancellationRequested)
                return ExitCodes.Interrupted;
            return results.Any(r => r.Outcome == JobOutcome.Failed) ? ExitCodes.SomeRunsFailed : ExitCodes.Ok;
        });
        return command;
    }

    // "hidden, layers and activation for neural and mlp only; dropout for mlp only": the keys only some models have.
    private static string OnlySome() => string.Join("; ", OptionTable.SweepKeys.Where(o => o.OnlyFor is not null)
        .GroupBy(o => string.Join(" and ", o.OnlyFor!.Select(ModelMetadata.CliName)))
        .Select(g => $"{Names(g.Select(o => o.Name).ToList())} for {g.Key} only"));

    private static string Names(IReadOnlyList<string> names) => names.Count == 1 ? names[0] : $"{string.Join(", ", names.Take(names.Count - 1))} and {names[^1]}";

    /// <summary>What will run, before anything does: the count, the mode and what the other mode would train, one line per run.</summary>
    internal static string Plan(string model, string baseSetting, IReadOnlyList<Experiment> experiments, SweepMode mode, int otherModeCount)
    {
        var text = new StringBuilder();
        var runs = experiments.Count == 1 ? "1 run" : $"{experiments.Count} runs";
        text.Append(mode == SweepMode.Grid
            ? $"sweep: {runs} of {model}, mode grid (every combination); --mode one-at-a-time would train {otherModeCount}.\n"
            : $"sweep: {runs} of {model}, mode one-at-a-time (the base, then each value changed alone); --mode grid would train {otherModeCount}.\n");
        var width = experiments.Max(e => e.Name.Length);
        foreach (var experiment in experiments)
        {
            var setting = experiment.Name == "base" ? baseSetting : experiment.Setting;
            text.Append(CultureInfo.InvariantCulture, $"  {experiment.Name.PadRight(width)}  {setting}\n");
        }
        return text.ToString();
    }

    // --emit-jobs jobs/jobs.txt: the folder is made, as --out's is; a path that cannot be a folder is a usage error.
    private static void CreateFolderOf(string file)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--emit-jobs {file}: cannot create its folder {folder} ({e.Message}); choose another file.");
        }
        if (Directory.Exists(Path.GetFullPath(file)))
            throw new UsageException($"--emit-jobs {file} is a folder; name a file, e.g. {Path.Combine(file, "jobs.txt")}.");
    }

    private static double? Final(JobResult result, string metric) =>
        result.Manifest?.Final is { } final && final.TryGetValue(metric, out var value) ? value : null;

    /// <summary>Classifiers rank by final dev accuracy (higher first); regressors, which have no dev split, by final test RMSE (lower first).</summary>
    internal static IReadOnlyList<JobResult> Rank(IReadOnlyList<JobResult> results, bool regression) => regression
        ? [.. results.OrderBy(r => Final(r, "test_rmse") ?? double.PositiveInfinity).ThenBy(r => r.Job.Experiment.Name, StringComparer.Ordinal)]
        : [.. results.OrderByDescending(r => Final(r, "dev_accuracy") ?? double.NegativeInfinity).ThenBy(r => r.Job.Experiment.Name, StringComparer.Ordinal)];

    private static string Table(IReadOnlyList<JobResult> ranked, bool regression)
    {
        var text = new StringBuilder();
        var (first, second) = regression ? ("train RMSE", "test RMSE") : ("dev acc", "test acc");
        text.AppendLine(CultureInfo.InvariantCulture, $"{"rank",4}  {"configuration",-32} {first,10} {second,10} {"seconds",8}  status");
        foreach (var (result, index) in ranked.Select((r, i) => (r, i)))
        {
            var a = Final(result, regression ? "train_rmse" : "dev_accuracy");
            var b = Final(result, regression ? "test_rmse" : "test_accuracy");
            var seconds = result.Manifest?.Seconds ?? result.Seconds;
            text.AppendLine(CultureInfo.InvariantCulture, $"{index + 1,4}  {result.Job.Experiment.Setting,-32} {Format(a),10} {Format(b),10} {seconds,8:0.0}  {result.Outcome.ToString().ToLowerInvariant()}");
        }
        return text.ToString();
    }

    private static string Csv(IReadOnlyList<JobResult> ranked)
    {
        var text = new StringBuilder("rank,name,setting,config_hash,dev_accuracy,test_accuracy,train_rmse,test_rmse,seconds,status,folder\n");
        foreach (var (result, index) in ranked.Select((r, i) => (r, i)))
        {
            var seconds = result.Manifest?.Seconds ?? result.Seconds;
            text.Append(CultureInfo.InvariantCulture, $"{index + 1},{result.Job.Experiment.Name},\"{result.Job.Experiment.Setting}\",{result.Job.Experiment.Options.ConfigHash()},");
            text.Append(CultureInfo.InvariantCulture, $"{Format(Final(result, "dev_accuracy"))},{Format(Final(result, "test_accuracy"))},{Format(Final(result, "train_rmse"))},{Format(Final(result, "test_rmse"))},");
            text.Append(CultureInfo.InvariantCulture, $"{seconds:0.###},{result.Outcome.ToString().ToLowerInvariant()},{result.Job.Folder}\n");
        }
        return text.ToString();
    }

    private static string Format(double? value) => value?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "";
}
