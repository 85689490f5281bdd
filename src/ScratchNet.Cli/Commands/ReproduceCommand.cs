using System.CommandLine;
using ScratchNet.Cli.Options;
using System.Diagnostics;
using ScratchNet.Cli.Experiments;
using ScratchNet.Data;
using ScratchNet.Reports;
using ScratchNet.Runs;
using Spectre.Console;

namespace ScratchNet.Cli.Commands;

/// <summary>
/// `scratchnet reproduce`: every experiment of the report in parallel worker processes, then the figures and the report.
/// Finished runs (same config hash) are skipped, so a rerun is instant and an interrupted reproduce resumes.
/// </summary>
internal static class ReproduceCommand
{
    public static Command Create()
    {
        var output = new Option<string?>("--out") { Description = "Folder for runs/ and report/; runs of another configuration found there are moved to DIR/replaced-TIME/, never deleted [default: reproduce; reproduce-quick with --quick]", HelpName = "DIR" };
        var engines = new Option<string>("--engines") { Description = "Engines to run, comma-separated: scratch, torch. Q2/Q3 run on scratch; the Q4 studies on each engine.", DefaultValueFactory = _ => "scratch" };
        var jobs = new Option<int>("--jobs") { Description = "Worker processes running at once.", DefaultValueFactory = _ => Environment.ProcessorCount }.Integer();
        var quick = new Option<bool>("--quick") { Description = $"Smoke run: {ExperimentPlan.QuickTrainExamples} training examples, 3 epochs (15 for regression); the report says its numbers are not comparable." };
        var data = new DataPathOptions("Folder holding the data sets (or their fashion-mnist and ames subfolders) [default: search SCRATCHNET_DATA, ./data, the system folder and the repository's bundled data/ames].");
        var list = new Option<bool>("--list") { Description = "Print the plan (one command per run) and exit without training." };
        var command = new Command("reproduce", "Run every experiment of the report and write its figures and report (the main job).")
        {
            output, engines, jobs, quick, list,
        };
        data.AddTo(command);
        command.SetAction((parse, cancellation) => RunAsync(
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(output) ?? DefaultFolder(parse.GetValue(quick)), ParseEngines(parse.GetValue(engines)!),
            parse.GetValue(jobs), parse.GetValue(quick), DataPaths.From(parse, data), parse.GetValue(list), cancellation));
        return command;
    }

    /// <summary>A smoke run has its own folder, so it never mixes with (or moves aside) the full plan's runs.</summary>
    internal static string DefaultFolder(bool quick) => quick ? "reproduce-quick" : "reproduce";

    internal static IReadOnlyList<Engine> ParseEngines(string value)
    {
        var engines = new List<Engine>();
        foreach (var name in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<Engine>(name, ignoreCase: true, out var engine) || !Enum.IsDefined(engine))
                throw new UsageException($"--engines '{name}' is unknown: expected scratch, torch or scratch,torch.");
            if (!engines.Contains(engine))
                engines.Add(engine);
        }
        return engines.Count > 0 ? engines : throw new UsageException("--engines is empty: expected scratch, torch or scratch,torch.");
    }

    private static async Task<int> RunAsync(
        TextWriter stdout, TextWriter stderr, string outDir, IReadOnlyList<Engine> engines, int jobs, bool quick, DataPaths data, bool listOnly,
        CancellationToken cancellation)
    {
        if (jobs is < 1 or > 64)
            throw new UsageException($"--jobs {jobs} is out of range: expected an integer from 1 to 64.");
        var clock = Stopwatch.StartNew();
        var plan = ExperimentPlan.Build(engines, quick);
        // Longest runs first, so the workers finish at about the same time.
        var planned = plan.OrderByDescending(run => ExperimentPlan.EstimatedCost(run.Options)).Select(run =>
        {
            var folder = Path.Combine(outDir, run.RelativeFolder);
            return new Job(run, folder, RunArguments.For(run.Options, folder, data.DataDir, data.FashionMnist, data.Ames));
        }).ToList();
        if (listOnly)
        {
            foreach (var job in planned)
                stdout.WriteLine(RunArguments.ShellLine("./scratchnet", job.Arguments));
            return ExitCodes.Ok;
        }

        // Every data set the plan needs is found and verified before the first run starts: a missing one is one line, exit 3.
        CheckData(stdout, data, plan);
        // The data sets just verified (55 MB of Fashion-MNIST) are garbage now, and this process only waits for its workers,
        // then writes the report: collect them here, or the report's allocations stack on top of them and make this parent
        // reproduce's largest process (251 MB at its peak before, issue 16).
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        stdout.WriteLine($"reproduce: {planned.Count} runs ({string.Join(", ", engines).ToLowerInvariant()}{(quick ? ", QUICK smoke run" : "")}), {jobs} at a time, into {Path.GetFullPath(outDir)}");
        JobRunner.SetAside(planned, stdout.WriteLine);
        var results = await RunJobsAsync(stdout, planned, jobs, cancellation).ConfigureAwait(false);
        if (cancellation.IsCancellationRequested)
        {
            stderr.WriteLine("scratchnet: interrupted; finished runs are kept. Run the same command again to resume.");
            return ExitCodes.Interrupted;
        }

        stdout.WriteLine("Writing the report...");
        var inputs = ReportInputsFactory.Create(data.Locator(), quick, clock.Elapsed.TotalSeconds, w => stderr.WriteLine($"scratchnet: warning: {w}"));
        var report = ReportWriter.Write(
            [Path.Combine(outDir, "runs")], inputs, Path.Combine(outDir, "report"), skipBad: true, w => stderr.WriteLine($"scratchnet: warning: {w}"));
        PrintSummary(stdout, results, report, clock.Elapsed);
        var failed = results.Where(r => r.Outcome == JobOutcome.Failed).ToList();
        foreach (var failure in failed)
            stderr.WriteLine($"scratchnet: error: run {failure.Job.Experiment.Name} failed: {failure.Message}");
        return failed.Count == 0 ? ExitCodes.Ok : ExitCodes.SomeRunsFailed;
    }

    /// <summary>
    /// Loads (and so verifies) each data set the plan trains on, before any run starts; a missing or bad one is the
    /// loader's <see cref="DataException"/> (exit code 3) with " (needed by: …)" naming the runs that read it.
    /// </summary>
    internal static void CheckData(TextWriter stdout, DataPaths data, IReadOnlyList<Experiment> plan)
    {
        var locator = data.Locator();
        var regression = plan.Where(run => run.Options.IsRegression).Select(run => run.Name).ToList();
        var classification = plan.Where(run => !run.Options.IsRegression).Select(run => run.Name).ToList();
        if (classification.Count > 0)
        {
            var fashion = Needed(classification, () => FashionMnist.LoadFrom(locator));
            stdout.WriteLine($"Fashion-MNIST: {fashion.Directory} (checksums ok)");
        }
        if (regression.Count > 0)
        {
            var ames = Needed(regression, () => AmesHousing.LoadFrom(locator));
            stdout.WriteLine($"Ames Housing: {ames.Source}{(ames.Verified ? " (checksum ok)" : "")}");
        }
    }

    private static T Needed<T>(IReadOnlyList<string> runs, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (DataException e)
        {
            var names = runs.Count <= 3 ? string.Join(", ", runs) : $"{string.Join(", ", runs.Take(3))} and {runs.Count - 3} more";
            throw new DataException($"{SettingFlags.Message(e)} Needed by {names}; nothing was started.", e);
        }
    }

    private static async Task<IReadOnlyList<JobResult>> RunJobsAsync(TextWriter stdout, IReadOnlyList<Job> planned, int jobs, CancellationToken cancellation)
    {
        var worker = WorkerCommand.ThisCli();
        if (Console.IsOutputRedirected || stdout != Console.Out)
            return await new JobRunner(worker, jobs, new PlainJobProgress(stdout, planned.Count)).RunAsync(planned, cancellation).ConfigureAwait(false);

        IReadOnlyList<JobResult> results = [];
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                results = await new JobRunner(worker, jobs, new LiveJobProgress(context, planned.Count)).RunAsync(planned, cancellation).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return results;
    }

    private static void PrintSummary(TextWriter stdout, IReadOnlyList<JobResult> results, ReportOutput report, TimeSpan elapsed)
    {
        stdout.WriteLine();
        foreach (var group in results.GroupBy(r => r.Outcome).OrderBy(g => g.Key))
            stdout.WriteLine($"  {group.Key.ToString().ToLowerInvariant(),-11} {group.Count()}");
        stdout.WriteLine($"Report: {report.HtmlPath}");
        stdout.WriteLine($"        {report.MarkdownPath}");
        if (report.IsSmokeRun)
            stdout.WriteLine("Smoke run (--quick): the numbers are not comparable with the report.");
        stdout.WriteLine($"Total time {elapsed.TotalSeconds:0} s.");
    }
}
