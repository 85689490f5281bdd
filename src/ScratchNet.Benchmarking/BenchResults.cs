namespace ScratchNet.Benchmarking;

/// <summary>
/// One row of the table: an engine and precision at one batch size and thread count; <see cref="Optimizer"/> "adam" is
/// the per-example Adam row (q4 settings: η 0.01, dropout 0.3, PyTorch init), "sgd q4" per-example SGD with the same q4
/// settings (dropout masks from libtorch's stream), else plain SGD.
/// </summary>
public sealed record EpochCase(string Engine, string Precision, int Batch, int Threads, int ExamplesTimed, string Optimizer = EpochCase.Sgd)
{
    public const string Scratch = "scratch";
    public const string Torch = "torch";
    public const string Sgd = "sgd";
    public const string Adam = "adam";
    public const string SgdQ4 = "sgd q4";
    public bool IsTorch => Engine == Torch;
    public bool IsAdam => Optimizer == Adam;
    /// <summary>Per-example SGD with the q4 preset (dropout 0.3, η 0.01, PyTorch init and stream).</summary>
    public bool IsSgdQ4 => Optimizer == SgdQ4;
    /// <summary>The engine column: "scratch", "torch", "scratch adam" or "scratch q4".</summary>
    public string EngineLabel => IsAdam ? $"{Engine} adam" : IsSgdQ4 ? $"{Engine} q4" : Engine;
}

/// <summary>A case's timed repetitions, each scaled to one <see cref="EpochWorkloads.FullEpoch"/>-example epoch.</summary>
public sealed record EpochRow(EpochCase Case, IReadOnlyList<double> SecondsPerEpoch)
{
    public double Median => Statistics.Median(SecondsPerEpoch);
    public double Min => SecondsPerEpoch.Min();
    public double Max => SecondsPerEpoch.Max();
    public double ExamplesPerSecond => EpochWorkloads.FullEpoch / Median;
    /// <summary>Nominal dense GFLOP/s: examples/s × <see cref="EpochWorkloads.FlopsPerExample"/>.</summary>
    public double Gflops => EpochWorkloads.FlopsPerExample * ExamplesPerSecond / 1e9;
}

/// <summary>Milliseconds to classify the 10,000 dev examples, one value per repetition.</summary>
public sealed record EvaluationRow(string Precision, IReadOnlyList<double> Milliseconds)
{
    public double Median => Statistics.Median(Milliseconds);
    public double Min => Milliseconds.Min();
    public double Max => Milliseconds.Max();
}

/// <summary>One library's float32 GEMM rate; <see cref="Gflops"/> is null when it could not run (<see cref="Note"/> says why).</summary>
public sealed record GemmMeasurement(string Library, double? Gflops, string Note = "");

/// <summary>float32 C = A·B at <see cref="Size"/>³ on one thread: libtorch, OpenBLAS and ScratchNet in the same run.</summary>
public sealed record GemmCeiling(int Size, IReadOnlyList<GemmMeasurement> Measurements)
{
    public const string ScratchNetLibrary = "ScratchNet Gemm";

    /// <summary>The best rate among the reference libraries (not ScratchNet's own): the sgemm ceiling.</summary>
    public double? Ceiling =>
        Measurements.Where(m => m.Library != ScratchNetLibrary && m.Gflops is not null).Select(m => m.Gflops).Max();

    public double? ScratchNet => Measurements.FirstOrDefault(m => m.Library == ScratchNetLibrary)?.Gflops;

    /// <summary>ScratchNet's GEMM as a fraction of the ceiling (0.7 = 70 %).</summary>
    public double? ScratchNetShare => ScratchNet / Ceiling;
}

/// <summary>
/// `reproduce --quick` (or, with <see cref="Full"/>, the whole `reproduce`) run as a child process: exit code, wall time,
/// the peak RSS of it and its workers, and the benchmark's own RSS when it started the child (the peak cannot read below
/// it, see <see cref="ChildProcessUsage"/>).
/// </summary>
public sealed record ReproduceMeasurement(int ExitCode, double WallSeconds, long? PeakRssKiB, string Error, long ParentRssKiBAtStart = 0, bool Full = false)
{
    /// <summary>The command as the table names it: "reproduce --quick" or "reproduce (full)".</summary>
    public string Label => Full ? "reproduce (full)" : "reproduce --quick";

    public double? PeakRssMegabytes => PeakRssKiB * 1024.0 / 1e6;
    public double ParentRssMegabytes => ParentRssKiBAtStart * 1024.0 / 1e6;
}

/// <summary>Everything one `scratchnet bench` measured, with the conditions it ran under.</summary>
public sealed record BenchResult(
    BenchSettings Settings, DateTime StartedUtc, string Cpu, int Cores, string LoadBefore, string LoadAfter,
    IReadOnlyList<EpochRow> Rows, IReadOnlyList<EvaluationRow> Evaluation, GemmCeiling Gemm, ReproduceMeasurement? Reproduce);

public static class Statistics
{
    public static double Median(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
            throw new ArgumentException("The median of no values is undefined: expected at least one value.", nameof(values));
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
