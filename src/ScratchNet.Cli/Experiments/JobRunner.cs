using System.Diagnostics;
using System.Runtime.InteropServices;
using ScratchNet.Reports;
using ScratchNet.Runs;

namespace ScratchNet.Cli.Experiments;

/// <summary>A run to train in a worker process, and the folder it writes.</summary>
public sealed record Job(Experiment Experiment, string Folder, IReadOnlyList<string> Arguments);

public enum JobOutcome { Skipped, Completed, Diverged, Failed, Interrupted }

/// <summary>How a job ended; <see cref="Manifest"/> is null when the worker wrote none.</summary>
public sealed record JobResult(Job Job, JobOutcome Outcome, double Seconds, RunManifest? Manifest, string? Message);

/// <summary>What a job runner reports while it works (a terminal progress display, or plain lines).</summary>
public interface IJobProgress
{
    void Started(Job job);
    void Advanced(Job job, long done, long total);
    void Finished(JobResult result);
}

/// <summary>How to start a worker: the program and the arguments that come before the run's own.</summary>
public sealed record WorkerCommand(string FileName, IReadOnlyList<string> PrefixArguments)
{
    /// <summary>This CLI, run again: <c>dotnet ScratchNet.Cli.dll …</c>.</summary>
    public static WorkerCommand ThisCli()
    {
        var cli = typeof(CliApp).Assembly.Location;
        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        return new WorkerCommand(host, [cli]);
    }
}

/// <summary>
/// Runs jobs in parallel worker processes (one per core by default). A job whose folder already holds a finished run
/// of the same configuration (equal config hash) is skipped, so rerunning a plan is instant and an interrupted plan
/// resumes; a worker's own checkpoints let an interrupted run continue where it stopped (<c>--resume</c>).
/// </summary>
public sealed class JobRunner(WorkerCommand worker, int parallelism, IJobProgress progress, Action<string>? notice = null)
{
    private const string CallCountingDelay = "DOTNET_TC_CallCountingDelayMs";

    public static bool IsFinished(string folder, TrainingOptions options)
    {
        if (!File.Exists(Path.Combine(folder, RunFolder.ManifestFile)))
            return false;
        try
        {
            var manifest = RunFolder.ReadManifest(folder);
            return manifest.Status is RunStatus.Completed or RunStatus.Diverged && manifest.ConfigHash == options.ConfigHash();
        }
        catch (DataException)
        {
            return false; // a corrupt manifest is retrained, not trusted
        }
    }

    public async Task<IReadOnlyList<JobResult>> RunAsync(IReadOnlyList<Job> jobs, CancellationToken cancellation)
    {
        // The commands call SetAside first, to print its lines before a live display starts; this catches any other caller.
        SetAside(jobs, notice ?? (_ => { }));
        var results = new JobResult?[jobs.Count];
        using var slots = new SemaphoreSlim(Math.Max(1, parallelism));
        var tasks = jobs.Select(async (job, index) =>
        {
            if (IsFinished(job.Folder, job.Experiment.Options))
            {
                results[index] = new JobResult(job, JobOutcome.Skipped, 0, RunFolder.ReadManifest(job.Folder), "already finished");
                progress.Finished(results[index]!);
                return;
            }
            await slots.WaitAsync(cancellation).ConfigureAwait(false);
            try
            {
                results[index] = await RunOneAsync(job, cancellation).ConfigureAwait(false);
                progress.Finished(results[index]!);
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Reported below as Interrupted for the jobs that never finished.
        }
        return [.. results.Select((r, i) => r ?? new JobResult(jobs[i], JobOutcome.Interrupted, 0, null, "not run: interrupted"))];
    }

    private async Task<JobResult> RunOneAsync(Job job, CancellationToken cancellation)
    {
        Directory.CreateDirectory(job.Folder);
        var resume = PrepareFolder(job);
        var start = new ProcessStartInfo(worker.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // held open, never written: the worker stops when it closes (ParentWatch)
            UseShellExecute = false,
        };
        foreach (var arg in worker.PrefixArguments.Concat(job.Arguments).Concat(resume ? ["--resume"] : []))
            start.ArgumentList.Add(arg);
        start.Environment[WorkerProgress.Variable] = "1";
        start.Environment[ParentWatch.Variable] = "1";
        start.Environment["DOTNET_TieredPGO"] = "1";
        // Tier-1 code from the first steps on: by default the runtime waits until no new method has been jitted for
        // 100 ms before it counts calls, which a training run's start-up keeps postponing, so a worker's first epoch ran
        // 0.4–1.0 s slower than the next (same bits either way; the scratchnet launcher sets the same default)
        if (Environment.GetEnvironmentVariable(CallCountingDelay) is null)
            start.Environment[CallCountingDelay] = "0";

        progress.Started(job);
        var clock = Stopwatch.StartNew();
        var logPath = Path.Combine(job.Folder, "log.txt");
        string? lastError = null;
        using (var log = new WorkerLog(logPath, append: resume))
        using (var process = Process.Start(start) ?? throw new ScratchNetException($"Could not start the worker {worker.FileName}."))
        {
            var gate = new object();
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null)
                    return;
                if (WorkerProgress.TryParse(e.Data, out var done, out var total))
                    progress.Advanced(job, done, total);
                else
                    lock (gate) log.Write(e.Data);
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null)
                    return;
                lock (gate)
                {
                    log.Write(e.Data);
                    if (e.Data.StartsWith("scratchnet: error:", StringComparison.Ordinal))
                        lastError = e.Data["scratchnet: error:".Length..].Trim();
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                await process.WaitForExitAsync(cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // A Ctrl+C on a terminal reaches the workers too (same process group); a SIGINT sent to this process
                // alone does not, so pass it on. The worker finishes its step, saves, and exits 130.
                Interrupt(process);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            process.WaitForExit(); // drain the output events
            var manifest = TryReadManifest(job.Folder);
            var outcome = process.ExitCode switch
            {
                ExitCodes.Ok => JobOutcome.Completed,
                ExitCodes.Diverged => JobOutcome.Diverged,
                ExitCodes.Interrupted => JobOutcome.Interrupted,
                _ => JobOutcome.Failed,
            };
            var message = outcome == JobOutcome.Failed
                ? $"{lastError ?? $"worker exited with code {process.ExitCode}"} (log: {logPath}{log.Fault})"
                : manifest?.Message;
            return new JobResult(job, outcome, clock.Elapsed.TotalSeconds, manifest, message);
        }
    }

    /// <summary>
    /// True when the folder holds an interrupted run of this very configuration (resume it). A run of another
    /// configuration (the plan or the grid changed), or an unreadable one, is never deleted: <see cref="SetAside"/> has
    /// moved it away before the plan started. What is left is at most the debris of a run that finished no epoch.
    /// </summary>
    private static bool PrepareFolder(Job job)
    {
        var checkpoint = Path.Combine(job.Folder, RunFolder.CheckpointFile);
        var manifest = TryReadManifest(job.Folder);
        if (File.Exists(checkpoint) && manifest?.ConfigHash == job.Experiment.Options.ConfigHash())
            return true;
        foreach (var stale in RunFolder.RunFiles)
            File.Delete(Path.Combine(job.Folder, stale));
        return false;
    }

    /// <summary>
    /// Moves every job folder that holds a result of another configuration (or files that are not a run's) out of the
    /// plan's way, to <c>OUT/replaced-TIME/runs/…</c> (beside the plan's runs/, so reports do not mix it in), and says so
    /// through <paramref name="say"/>, one line per folder. Finished runs of the same configuration, and interrupted ones
    /// that can resume, stay. Returns the folders moved, as (from, to).
    /// </summary>
    public static IReadOnlyList<(string From, string To)> SetAside(IReadOnlyList<Job> jobs, Action<string> say)
    {
        var moved = new List<(string, string)>();
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var job in jobs)
        {
            if (IsFinished(job.Folder, job.Experiment.Options) || RunFolder.Occupant(job.Folder) is not { } occupant)
                continue;
            var manifest = TryReadManifest(job.Folder);
            var hash = job.Experiment.Options.ConfigHash();
            if (manifest?.ConfigHash == hash && occupant.IsRun && File.Exists(Path.Combine(job.Folder, RunFolder.CheckpointFile)))
                continue; // an interrupted run of this configuration: it resumes
            var relative = job.Experiment.RelativeFolder;
            var full = Path.GetFullPath(job.Folder);
            var target = full.EndsWith(Path.DirectorySeparatorChar + relative, StringComparison.Ordinal)
                ? Path.Combine(full[..^relative.Length], $"replaced-{stamp}", relative)
                : $"{full}.replaced-{stamp}";
            for (var n = 2; Directory.Exists(target); n++)
                target = $"{target}-{n}";
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            try
            {
                Directory.Move(job.Folder, target);
            }
            catch (IOException e)
            {
                throw new ScratchNetException($"{job.Folder} holds {occupant.Description} of another configuration and could not be moved aside to {target} ({e.Message}); move it yourself or choose another --out.", ExitCodes.Usage, e);
            }
            say($"kept: {job.Folder} held {occupant.Description} of another configuration; moved to {target}");
            moved.Add((job.Folder, target));
        }
        return moved;
    }

    private static void Interrupt(Process process)
    {
        const int SigInt = 2;
        if (OperatingSystem.IsWindows() || process.HasExited)
            return;
        _ = NativeMethods.Kill(process.Id, SigInt);
    }

    private static RunManifest? TryReadManifest(string folder)
    {
        try
        {
            return File.Exists(Path.Combine(folder, RunFolder.ManifestFile)) ? RunFolder.ReadManifest(folder) : null;
        }
        catch (DataException)
        {
            return null;
        }
    }
}

/// <summary>
/// A worker's log.txt. A log that cannot be written (a full disk) must not end the plan with a stack trace: the worker's own
/// run reports the fault (exit 8); the log notes it lost lines, and the job's message says so.
/// </summary>
internal sealed class WorkerLog : IDisposable
{
    private StreamWriter? _writer;

    public WorkerLog(string path, bool append)
    {
        try
        {
            _writer = new StreamWriter(path, append);
        }
        catch (Exception e) when (ScratchNet.IO.OutputWriteException.IsWriteFault(e) || e is DirectoryNotFoundException)
        {
            Fault = $"; not written: {ScratchNet.IO.OutputWriteException.For(path, e).Cause}";
        }
    }

    /// <summary>Empty, or "; not written: CAUSE" once a write failed.</summary>
    public string Fault { get; private set; } = "";

    public void Write(string line) => Guard(writer => writer.WriteLine(line));

    public void Dispose()
    {
        Guard(writer => writer.Flush());
        try
        {
            _writer?.Dispose();
        }
        catch (Exception e) when (ScratchNet.IO.OutputWriteException.IsWriteFault(e) || e is DirectoryNotFoundException)
        {
            // the flush above has recorded the fault
        }
        _writer = null;
    }

    private void Guard(Action<StreamWriter> action)
    {
        if (_writer is null)
            return;
        try
        {
            action(_writer);
        }
        catch (Exception e) when (ScratchNet.IO.OutputWriteException.IsWriteFault(e) || e is DirectoryNotFoundException)
        {
            if (Fault.Length == 0)
                Fault = $"; incomplete: {ScratchNet.IO.OutputWriteException.For("log.txt", e).Cause}";
        }
    }
}

internal static partial class NativeMethods
{
    /// <summary>POSIX kill(2): sends a signal to a process.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);
}
