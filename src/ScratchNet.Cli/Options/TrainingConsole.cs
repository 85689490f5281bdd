using System.Globalization;
using System.Runtime.InteropServices;
using ScratchNet.Cli.Experiments;
using ScratchNet.Runs;
using Spectre.Console;

namespace ScratchNet.Cli.Options;

/// <summary>
/// Runs a <see cref="RunDriver"/> (either engine) from the command line:
/// prints the resolved configuration, one line per epoch, the final test accuracy of a classifier and (on a terminal) a
/// progress bar within the epoch, or <c>##progress</c> lines as a reproduce/sweep worker; Ctrl+C (or SIGTERM) stops after the current
/// step (exit 130, resumable); a divergence ends with exit code 4 after the history is saved.
/// </summary>
internal static class TrainingConsole
{
    public static int Run(RunDriver run, bool resume, TextWriter output) =>
        Run(new Session(run.Options, run.Folder, run.History, (observer, token) => run.Execute(resume, observer, token)), output);

    /// <summary>`--resume` of a run that has nothing left to train: one line, exit 0.</summary>
    public static int AlreadyFinished(string message, TextWriter output)
    {
        output.WriteLine(message);
        return ExitCodes.Ok;
    }

    private static int Run(Session run, TextWriter output)
    {
        output.WriteLine($"run folder: {run.Folder.Path}");
        output.Write(ConfigurationBlock.Format(run.Options));
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        // SIGTERM (kill, a batch scheduler's time limit), SIGHUP (the terminal closed) and SIGQUIT stop the run the same way
        // as Ctrl+C, so its manifest records Interrupted; only SIGKILL cannot be caught (readers then see no live owner).
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var onHangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);
        using var onQuit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            cancellation.Cancel();
        }
        if (run.Folder.PreviousStatus == RunStatus.Running)
            output.WriteLine($"previous session: {RunFolder.ProcessGone} (its manifest still said Running and no process held the folder)");
        TrainingOutcome outcome;
        try
        {
            var interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
            outcome = interactive
                ? AnsiConsole.Progress().AutoClear(true).Start(context =>
                    run.Execute(new ProgressBarObserver(context, run.Options.Epochs), cancellation.Token))
                : run.Execute(new LineObserver(output, run.Options.Epochs, WorkerProgress.Requested ? new WorkerProgress(output) : null), cancellation.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        return outcome.Status switch
        {
            RunStatus.Completed => Done(output, run),
            RunStatus.Interrupted => Interrupted(output, run),
            _ => throw new ScratchNetException($"{(outcome.Template is { } template ? SettingFlags.Render(template) : outcome.Message)} History kept in {run.Folder.MetricsPath}.", ExitCodes.Diverged),
        };
    }

    public static string EpochLine(EpochMetrics e, int epochs)
    {
        var parts = new List<string> { $"epoch {e.Epoch.ToString(CultureInfo.InvariantCulture).PadLeft(epochs.ToString(CultureInfo.InvariantCulture).Length)}/{epochs}" };
        void Add(string name, double? value, string format)
        {
            if (value is { } v)
                parts.Add($"{name} {v.ToString(format, CultureInfo.InvariantCulture)}");
        }
        Add("loss", e.TrainLoss, "F6");
        Add("train_rmse", e.TrainRmse, "F4");
        Add("test_rmse", e.TestRmse, "F4");
        Add("|ŵ−w|", e.WeightDistance, "F4");
        Add("train", e.TrainAccuracy, "F4");
        Add("dev", e.DevAccuracy, "F4");
        Add("test", e.TestAccuracy, "F4");
        parts.Add($"{e.Seconds.ToString("F2", CultureInfo.InvariantCulture)} s");
        return string.Join("  ", parts);
    }

    private static int Done(TextWriter output, Session run)
    {
        if (run.History.Count > 0 && run.History[^1].TestAccuracy is { } test)
            output.WriteLine($"test accuracy: {test.ToString("F4", CultureInfo.InvariantCulture)}");
        output.WriteLine($"done: {run.History.Count} epoch{(run.History.Count == 1 ? "" : "s")}; steps took {run.History.Sum(e => e.Seconds).ToString("F2", CultureInfo.InvariantCulture)} s in all; results in {run.Folder.Path}");
        return ExitCodes.Ok;
    }

    private static int Interrupted(TextWriter output, Session run)
    {
        output.WriteLine(run.History.Count == 0
            ? $"interrupted before the first epoch finished: nothing to resume; run the same command again to start afresh (the folder {run.Folder.Path} may be reused)"
            : $"interrupted after {run.History.Count} finished epochs; continue with: ./scratchnet {RunTarget.Command(run.Options.Model)} --resume {run.Folder.Path}");
        return ExitCodes.Interrupted;
    }

    // What the console needs of either engine's run.
    private sealed record Session(TrainingOptions Options, RunFolder Folder, IReadOnlyList<EpochMetrics> History,
        Func<ITrainingObserver, CancellationToken, TrainingOutcome> Execute);

    // One line per epoch; as a reproduce/sweep worker also `##progress DONE TOTAL` over the whole run's examples.
    private sealed class LineObserver(TextWriter output, int epochs, WorkerProgress? worker) : ITrainingObserver
    {
        public void OnProgress(int epoch, int examplesDone, int examplesTotal) =>
            worker?.Report(((long)(epoch - 1) * examplesTotal) + examplesDone, (long)epochs * examplesTotal, force: examplesDone == examplesTotal);

        public void OnEpoch(EpochMetrics epoch) => output.WriteLine(EpochLine(epoch, epochs));
    }

    private sealed class ProgressBarObserver(ProgressContext context, int epochs) : ITrainingObserver
    {
        private ProgressTask? _task;
        private int _epoch;

        public void OnProgress(int epoch, int examplesDone, int examplesTotal)
        {
            if (epoch != _epoch)
            {
                _epoch = epoch;
                var description = $"epoch {epoch}/{epochs}";
                // Spectre.Console rejects an empty task description, so the task is created with its first epoch's
                _task ??= context.AddTask(description, maxValue: examplesTotal);
                _task.Description = description;
                _task.Value = 0;
            }
            if (examplesDone % 512 == 0 || examplesDone == examplesTotal)
                _task!.Value = examplesDone;
        }

        public void OnEpoch(EpochMetrics epoch) => AnsiConsole.WriteLine(EpochLine(epoch, epochs));
    }
}
