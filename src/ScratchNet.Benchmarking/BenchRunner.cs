using ScratchNet.Data;
using ScratchNet.Runs;

namespace ScratchNet.Benchmarking;

/// <summary>
/// Runs everything `scratchnet bench` measures, in one process on the same data: every case (engine × precision × batch ×
/// threads) once untimed, then <see cref="BenchSettings.Reps"/> rounds with the case order rotated each round so a burst
/// of load on a shared machine hits every row alike; the 10,000-example evaluation; the GEMM ceiling; and
/// `reproduce --quick` (or the full `reproduce`, opt-in) in a child process, started as
/// <c>cliFileName cliPrefixArguments… reproduce [--quick]</c>:
/// the CLI passes in how to run itself again, which this library cannot name.
/// </summary>
public sealed class BenchRunner(BenchSettings settings, IBenchProgress progress, string cliFileName, IReadOnlyList<string> cliPrefixArguments)
{
    public IReadOnlyList<EpochCase> Cases { get; } = CasesFor(settings);

    /// <summary>How many steps <see cref="Run"/> reports: for a progress bar.</summary>
    public static int StepsFor(BenchSettings settings) =>
        CasesFor(settings).Count * (1 + settings.Reps) + 2 * (1 + settings.Reps) + 1 + (settings.SkipReproduce ? 0 : 1);

    public static IReadOnlyList<EpochCase> CasesFor(BenchSettings settings) =>
    [
        .. from batch in settings.Batches
           from threads in settings.Threads
           from engine in new[] { (EpochCase.Scratch, "float32"), (EpochCase.Scratch, "float64"), (EpochCase.Torch, "float32") }
           select new EpochCase(engine.Item1, engine.Item2, batch, threads,
               engine.Item1 == EpochCase.Torch && batch == 1 ? settings.TorchBatch1Examples : settings.Examples),
        // per-example Adam (q4 settings, float32): reproduce's q4.2-mlp-adam run, issue 16, at each thread count
        .. settings.Batches.Contains(1)
            ? settings.Threads.Select(threads => new EpochCase(EpochCase.Scratch, "float32", 1, threads, settings.Examples, EpochCase.Adam))
            : [],
        // per-example SGD with the q4 settings (dropout 0.3): beside the plain step at each thread count, issue 16
        .. settings.Batches.Contains(1)
            ? settings.Threads.Select(threads => new EpochCase(EpochCase.Scratch, "float32", 1, threads, settings.Examples, EpochCase.SgdQ4))
            : [],
    ];

    public BenchResult Run(CancellationToken cancellation)
    {
        var started = DateTime.UtcNow;
        var loadBefore = MachineInfo.LoadAverage();
        // first, while this process is small: a child's peak RSS reads at least its parent's RSS at the start
        ReproduceMeasurement? reproduce = null;
        if (!settings.SkipReproduce)
        {
            var label = settings.ReproduceFull ? "reproduce (full)" : "reproduce --quick";
            progress.Phase($"{label} in a child process");
            reproduce = Measure(label, () => Reproduce(cliFileName, cliPrefixArguments, settings.DataDir, settings.ReproduceFull, cancellation), cancellation);
        }
        progress.Phase("loading Fashion-MNIST");
        var workloads = new EpochWorkloads(FashionMnist.Load(settings.DataDir));

        progress.Phase($"warm-up: every case once on {settings.WarmUpExamples:N0} examples, untimed");
        foreach (var c in Cases)
            Measure(Describe(c), () => Time(workloads, c, settings.WarmUpExamples), cancellation);
        var seconds = Cases.Select(_ => new List<double>()).ToArray();
        for (var rep = 0; rep < settings.Reps; rep++)
        {
            progress.Phase($"round {rep + 1}/{settings.Reps}: {Cases.Count} cases");
            for (var k = 0; k < Cases.Count; k++)
            {
                var index = (k + rep) % Cases.Count;
                var c = Cases[index];
                var epoch = Measure(Describe(c), () => Time(workloads, c, c.ExamplesTimed), cancellation);
                seconds[index].Add(epoch * EpochWorkloads.FullEpoch / c.ExamplesTimed);
            }
        }
        var rows = Cases.Select((c, k) => new EpochRow(c, [.. seconds[k]])).ToArray();

        progress.Phase("evaluation of the 10,000 dev examples");
        var precisions = new[] { ("float32", Precision.Float32), ("float64", Precision.Float64) };
        var milliseconds = precisions.Select(_ => new List<double>()).ToArray();
        for (var rep = -1; rep < settings.Reps; rep++) // rep -1 is the untimed warm-up
        {
            for (var p = 0; p < precisions.Length; p++)
            {
                var (name, precision) = precisions[p];
                var ms = Measure(name, () => workloads.EvaluationMilliseconds(precision), cancellation);
                if (rep >= 0)
                    milliseconds[p].Add(ms);
            }
        }
        var evaluation = precisions.Select((p, k) => new EvaluationRow(p.Item1, [.. milliseconds[k]])).ToArray();

        progress.Phase($"sgemm ceiling: float32 {BenchSettings.GemmSize}³, 1 thread");
        var gemm = Measure("libtorch, OpenBLAS, ScratchNet", () => GemmCeilingBenchmark.Measure(BenchSettings.GemmSize, settings.GemmReps), cancellation);

        return new BenchResult(settings, started, MachineInfo.CpuModel(), Environment.ProcessorCount, loadBefore,
            MachineInfo.LoadAverage(), rows, evaluation, gemm, reproduce);
    }

    /// <summary>
    /// Runs `reproduce --quick`, or with <paramref name="full"/> the whole `reproduce` (every run of the report), into a
    /// temporary folder (deleted after) with the CLI's entry (the job runner's). The CLI is already built, so no build
    /// is timed or counted in the peak RSS.
    /// </summary>
    public static ReproduceMeasurement Reproduce(string cliFileName, IReadOnlyList<string> cliPrefixArguments, string? dataDir,
        bool full, CancellationToken cancellation)
    {
        var folder = Directory.CreateTempSubdirectory("scratchnet-bench-reproduce-").FullName;
        try
        {
            string[] arguments = [.. cliPrefixArguments, "reproduce", .. full ? Array.Empty<string>() : ["--quick"], "--out", folder,
                .. dataDir is null ? [] : new[] { "--data-dir", dataDir }];
            var run = ChildProcessUsage.Run(cliFileName, arguments, cancellation);
            return new ReproduceMeasurement(run.ExitCode, run.WallSeconds, run.PeakRssKiB, run.ExitCode == 0 ? "" : run.LastError,
                run.ParentRssKiBAtStart, full);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Describe(EpochCase c) =>
        $"{c.EngineLabel} {c.Precision}, batch {c.Batch}, {c.Threads} thread{(c.Threads == 1 ? "" : "s")}";

    private static double Time(EpochWorkloads workloads, EpochCase c, int examples) => c switch
    {
        { IsTorch: true } => Settled(workloads.Torch(c.Batch, examples, c.Threads)),
        { IsAdam: true } => workloads.ScratchAdam(examples, c.Threads),
        { IsSgdQ4: true } => workloads.ScratchSgdQ4(examples, c.Threads),
        { Precision: "float64" } => workloads.Scratch(Precision.Float64, c.Batch, examples, c.Threads),
        _ => workloads.Scratch(Precision.Float32, c.Batch, examples, c.Threads),
    };

    /// <summary>How long the bench lets the process settle after a torch case, before the next case is timed.</summary>
    public static readonly TimeSpan TorchSettle = TimeSpan.FromMilliseconds(300);

    // After a torch case the process still works for it: the finalizer thread frees its tensors' native memory and
    // libtorch's OpenMP workers spin-wait for their next parallel region (Intel OpenMP's default block time is 200 ms).
    // A scratch case on two threads timed right then shares the cores with them (its partner thread waited on a
    // descheduled core: 0.69 s one round, 1.72 s the next, at batch 16). So the finalizers run and the workers fall
    // asleep first, untimed.
    private static double Settled(double seconds)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Thread.Sleep(TorchSettle);
        return seconds;
    }

    private T Measure<T>(string description, Func<T> work, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        progress.Step(description);
        var result = work();
        progress.StepDone();
        return result;
    }
}
