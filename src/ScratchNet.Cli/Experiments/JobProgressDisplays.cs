using System.Globalization;
using Spectre.Console;

namespace ScratchNet.Cli.Experiments;

/// <summary>Plain lines, one when a job starts and one when it ends: for logs and output that is not a terminal.</summary>
public sealed class PlainJobProgress(TextWriter output, int total) : IJobProgress
{
    private int _finished;

    public void Started(Job job)
    {
        lock (output)
            output.WriteLine($"[start] {Label(job)}");
    }

    public void Advanced(Job job, long done, long total)
    {
    }

    public void Finished(JobResult result)
    {
        var finished = Interlocked.Increment(ref _finished);
        lock (output)
            output.WriteLine($"[{finished}/{total}] {result.Outcome.ToString().ToLowerInvariant(),-11} {Label(result.Job)} {JobSummary.Describe(result)}");
    }

    internal static string Label(Job job) => $"{job.Experiment.Name} ({job.Experiment.Options.Engine.ToString().ToLowerInvariant()})";
}

/// <summary>A live terminal display: an overall bar, and one bar per running job, each with its ETA.</summary>
public sealed class LiveJobProgress : IJobProgress
{
    private readonly ProgressContext _context;
    private readonly ProgressTask _overall;
    private readonly Dictionary<Job, ProgressTask> _running = [];
    private readonly Lock _gate = new();

    public LiveJobProgress(ProgressContext context, int total)
    {
        _context = context;
        _overall = context.AddTask($"[bold]all runs[/] (0/{total})", maxValue: total);
    }

    public void Started(Job job)
    {
        lock (_gate)
            _running[job] = _context.AddTask(Markup.Escape(PlainJobProgress.Label(job)), maxValue: 1);
    }

    public void Advanced(Job job, long done, long total)
    {
        lock (_gate)
        {
            if (_running.TryGetValue(job, out var task) && total > 0)
            {
                task.MaxValue = total;
                task.Value = done;
            }
        }
    }

    public void Finished(JobResult result)
    {
        lock (_gate)
        {
            if (_running.Remove(result.Job, out var task))
            {
                task.Value = task.MaxValue;
                task.StopTask();
                task.Description = $"{Markup.Escape(PlainJobProgress.Label(result.Job))} [grey]{Markup.Escape(JobSummary.Describe(result))}[/]";
            }
            _overall.Increment(1);
            _overall.Description = $"[bold]all runs[/] ({_overall.Value.ToString(CultureInfo.InvariantCulture)}/{_overall.MaxValue.ToString(CultureInfo.InvariantCulture)})";
        }
    }
}

/// <summary>One short line about a finished job: its headline metrics and time, or why it did not complete.</summary>
public static class JobSummary
{
    public static string Describe(JobResult result)
    {
        if (result.Outcome is JobOutcome.Failed or JobOutcome.Interrupted)
            return result.Message ?? "";
        var final = result.Manifest?.Final;
        string Metric(string name, string label) => final is not null && final.TryGetValue(name, out var v) ? $"{label} {v.ToString("0.0000", CultureInfo.InvariantCulture)} " : "";
        var text = Metric("dev_accuracy", "dev") + Metric("test_accuracy", "test") + Metric("train_rmse", "train RMSE") + Metric("test_rmse", "test RMSE");
        var seconds = result.Outcome == JobOutcome.Skipped ? "(already done)" : $"{result.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s";
        return (text + seconds + (result.Outcome == JobOutcome.Diverged ? $" — diverged: {result.Message}" : "")).Trim();
    }
}
