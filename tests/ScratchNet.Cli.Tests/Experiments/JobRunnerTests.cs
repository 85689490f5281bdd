using ScratchNet.Cli.Experiments;
using ScratchNet.Reports;
using ScratchNet.Runs;

namespace ScratchNet.Tests.Experiments;

public sealed class JobRunnerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"scratchnet-jobs-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir))
            Directory.Delete(_dir, recursive: true);
    }

    private sealed class RecordingProgress : IJobProgress
    {
        public List<(long Done, long Total)> Advances { get; } = [];
        public List<JobResult> Results { get; } = [];
        public void Started(Job job) { }
        public void Advanced(Job job, long done, long total) { lock (Advances) Advances.Add((done, total)); }
        public void Finished(JobResult result) { lock (Results) Results.Add(result); }
    }

    private Job JobWith(string name, TrainingOptions options) =>
        new(new Experiment(name, "Q3.1b", null, "course settings", options), Path.Combine(_dir, name), ["ignored"]);

    // A stand-in worker: a shell script that prints what a real worker prints and exits with a chosen code.
    private static WorkerCommand Shell(string script) => new("/bin/sh", ["-c", script, "worker"]);

    [Fact]
    public async Task Worker_progress_lines_and_errors_are_reported()
    {
        var progress = new RecordingProgress();
        var runner = new JobRunner(Shell("echo '##progress 5 10'; echo 'epoch 1'; echo 'scratchnet: error: --lr 0 is out of range' >&2; exit 2"), 1, progress);
        var results = await runner.RunAsync([JobWith("a", Presets.For(ModelKind.LogisticRegression, "q3"))], CancellationToken.None);

        var result = Assert.Single(results);
        Assert.Equal(JobOutcome.Failed, result.Outcome);
        Assert.Contains("--lr 0 is out of range", result.Message, StringComparison.Ordinal);
        Assert.Contains((5L, 10L), progress.Advances);
        var log = await File.ReadAllTextAsync(Path.Combine(_dir, "a", "log.txt"));
        Assert.Contains("epoch 1", log, StringComparison.Ordinal);
        Assert.DoesNotContain("##progress", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exit_codes_map_to_outcomes()
    {
        var options = Presets.For(ModelKind.Perceptron, "q3");
        var diverged = await new JobRunner(Shell($"exit {ExitCodes.Diverged}"), 2, new RecordingProgress()).RunAsync([JobWith("d", options)], CancellationToken.None);
        var completed = await new JobRunner(Shell("exit 0"), 2, new RecordingProgress()).RunAsync([JobWith("c", options)], CancellationToken.None);
        Assert.Equal(JobOutcome.Diverged, diverged[0].Outcome);
        Assert.Equal(JobOutcome.Completed, completed[0].Outcome);
    }

    [Fact]
    public async Task Finished_run_with_the_same_config_is_skipped_and_a_changed_config_is_not()
    {
        var options = Presets.For(ModelKind.LogisticRegression, "q3");
        var job = JobWith("done", options);
        using (var folder = RunFolder.Open(job.Folder))
        {
            folder.WriteManifest(new RunManifest
            {
                Name = "done", Status = RunStatus.Completed, Options = options, ConfigHash = options.ConfigHash(),
                Environment = RunEnvironment.Current(), StartedUtc = DateTimeOffset.UnixEpoch,
            });
        }

        var marker = Path.Combine(_dir, "ran");
        var runner = new JobRunner(Shell($"touch {marker}"), 1, new RecordingProgress());
        Assert.Equal(JobOutcome.Skipped, (await runner.RunAsync([job], CancellationToken.None))[0].Outcome);
        Assert.False(File.Exists(marker));

        var changed = job with { Experiment = job.Experiment with { Options = options with { LearningRate = 0.01 } } };
        Assert.Equal(JobOutcome.Completed, (await runner.RunAsync([changed], CancellationToken.None))[0].Outcome);
        Assert.True(File.Exists(marker));
    }

    [Fact]
    public async Task Cancelling_passes_SIGINT_on_to_the_worker_and_reports_it_interrupted()
    {
        // perl installs its handler even when SIGINT was ignored on entry (as in background jobs); sh cannot.
        var worker = new WorkerCommand("/usr/bin/perl", ["-e", "$SIG{INT} = sub { exit 130 }; print \"##progress 1 2\\n\"; $| = 1; sleep 60; exit 0", "--"]);
        var progress = new RecordingProgress();
        using var cancellation = new CancellationTokenSource();
        var run = new JobRunner(worker, 1, progress).RunAsync([JobWith("int", Presets.For(ModelKind.Mlp, "q3"))], cancellation.Token);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (progress.Advances.Count == 0 && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        await cancellation.CancelAsync();

        var result = Assert.Single(await run);
        Assert.Equal(JobOutcome.Interrupted, result.Outcome);
        Assert.True(result.Seconds < 30, $"the worker should stop on SIGINT, not sleep on ({result.Seconds:0.0} s)");
    }

    [Fact]
    public async Task Interrupted_run_resumes_only_when_its_checkpoint_has_the_same_config()
    {
        var options = Presets.For(ModelKind.LogisticRegression, "q3");
        var job = JobWith("partial", options);
        void WritePartialRun(TrainingOptions written)
        {
            using var folder = RunFolder.Open(job.Folder);
            folder.WriteManifest(new RunManifest
            {
                Name = "partial", Status = RunStatus.Running, Options = written, ConfigHash = written.ConfigHash(),
                Environment = RunEnvironment.Current(), StartedUtc = DateTimeOffset.UnixEpoch,
            });
            File.WriteAllText(folder.CheckpointPath, "checkpoint");
        }
        // The stand-in worker records its arguments.
        var arguments = Path.Combine(_dir, "args");
        var runner = new JobRunner(Shell($"echo \"$@\" > {arguments}"), 1, new RecordingProgress());

        WritePartialRun(options);
        await runner.RunAsync([job], CancellationToken.None);
        Assert.Contains("--resume", await File.ReadAllTextAsync(arguments), StringComparison.Ordinal);

        WritePartialRun(options with { LearningRate = 0.5 });
        await runner.RunAsync([job], CancellationToken.None);
        Assert.DoesNotContain("--resume", await File.ReadAllTextAsync(arguments), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(job.Folder, RunFolder.CheckpointFile)), "a checkpoint of another config must not be resumed");
        // … nor deleted: it was moved aside, whole
        var kept = Assert.Single(Directory.GetDirectories(Path.GetDirectoryName(job.Folder)!, Path.GetFileName(job.Folder) + ".replaced-*"));
        Assert.Equal("checkpoint", File.ReadAllText(Path.Combine(kept, RunFolder.CheckpointFile)));
    }
}
