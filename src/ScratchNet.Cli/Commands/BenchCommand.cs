using System.CommandLine;
using ScratchNet.Benchmarking;
using ScratchNet.Cli.Experiments;
using Spectre.Console;

namespace ScratchNet.Cli.Commands;

/// <summary>
/// `scratchnet bench`: the end-to-end speed table of the MLP 784-200-10 (scratch float32/float64 and torch, every batch
/// size and thread count, interleaved repetitions), the sgemm ceiling, evaluation time and reproduce --quick's wall time
/// and peak RSS, each target marked met or missed; writes CSV and JSON.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var reps = new Option<int?>("--reps") { Description = $"Timed repetitions per row, interleaved (1 to {BenchSettings.MaxReps}) [default: 3; 1 with --quick].", HelpName = "N" };
        var examples = new Option<int?>("--examples") { Description = $"Training examples timed per epoch, scaled to {EpochWorkloads.FullEpoch:N0} (1 to {EpochWorkloads.FullEpoch:N0}) [default: {EpochWorkloads.FullEpoch:N0}; 256 with --quick].", HelpName = "N" };
        var torchBatch1 = new Option<int?>("--torch-batch1-examples") { Description = "Examples timed for torch at batch 1 (about 15 s per full epoch), scaled likewise [default: 5,000; 64 with --quick].", HelpName = "N" };
        var threads = new Option<string>("--threads") { Description = $"Thread counts, comma-separated (1 to {BenchSettings.MaxThreads}); every row runs at each.", DefaultValueFactory = _ => "1,2", HelpName = "LIST" };
        var batches = new Option<string>("--batches") { Description = $"Batch sizes, comma-separated (1 to {BenchSettings.MaxBatch}); 1 is per-example SGD, the course setting.", DefaultValueFactory = _ => "1,16,64,256", HelpName = "LIST" };
        var output = new Option<string>("--out") { Description = "Folder for bench-<UTC time>.csv and .json.", DefaultValueFactory = _ => "bench-results", HelpName = "DIR" };
        var skipReproduce = new Option<bool>("--skip-reproduce") { Description = "Do not time reproduce --quick (wall time and peak RSS)." };
        var reproduce = new Option<string>("--reproduce") { Description = "What the reproduce row times: quick (reproduce --quick, under a minute) or full (the whole reproduce, minutes of both cores: opt-in).", DefaultValueFactory = _ => "quick", HelpName = "quick|full" };
        var quick = new Option<bool>("--quick") { Description = "Smoke run: 256 examples per epoch, 1 repetition; labelled, its numbers mean nothing." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Folder holding Fashion-MNIST [default: search SCRATCHNET_DATA, ./data, the system and repository folders].", HelpName = "DIR" };
        var command = new Command("bench", "Time training epochs of the MLP 784-200-10 on both engines, the sgemm ceiling, evaluation and reproduce --quick; print the table with each target met or missed.")
        {
            reps, examples, torchBatch1, threads, batches, output, skipReproduce, reproduce, quick, dataDir,
        };
        command.SetAction((parse, cancellation) =>
        {
            var settings = BenchSettings.Resolve(parse.GetValue(reps), parse.GetValue(examples), parse.GetValue(torchBatch1),
                parse.GetValue(threads)!, parse.GetValue(batches)!, parse.GetValue(output)!, parse.GetValue(skipReproduce),
                parse.GetValue(quick), parse.GetValue(dataDir), parse.GetValue(reproduce)!);
            var stdout = parse.InvocationConfiguration.Output;
            EnsureWritable(settings.OutDir); // before the long run, not after it
            var result = Run(settings, stdout, cancellation);
            stdout.WriteLine();
            stdout.Write(BenchReport.Table(result));
            foreach (var path in BenchReport.Write(result, [.. parse.Tokens.Select(t => t.Value)]))
                stdout.WriteLine($"wrote {path}");
            if (result.Reproduce is { ExitCode: not 0 } failed)
                throw new ScratchNetException($"{failed.Label} failed with exit code {failed.ExitCode}: {failed.Error}; the other measurements are in the table and files above.", ExitCodes.SomeRunsFailed);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static void EnsureWritable(string outDir)
    {
        try
        {
            Directory.CreateDirectory(outDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--out '{outDir}' cannot be created ({e.Message}): choose a folder you can write to.");
        }
    }

    private static BenchResult Run(BenchSettings settings, TextWriter stdout, CancellationToken cancellation)
    {
        var cli = WorkerCommand.ThisCli(); // reproduce --quick runs this CLI again, as sweep's and reproduce's workers do
        if (Console.IsOutputRedirected || stdout != Console.Out)
            return new BenchRunner(settings, new PlainBenchProgress(stdout), cli.FileName, cli.PrefixArguments).Run(cancellation);
        BenchResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                result = new BenchRunner(settings, new LiveBenchProgress(context, BenchRunner.StepsFor(settings)), cli.FileName, cli.PrefixArguments)
                    .Run(cancellation);
            });
        return result!;
    }
}
