using System.Globalization;

namespace ScratchNet.Benchmarking;

/// <summary>
/// What `scratchnet bench` measures, validated: repetitions, the examples timed per epoch (scaled to
/// <see cref="EpochWorkloads.FullEpoch"/>), the thread counts and batch sizes of the table, where the CSV and JSON go.
/// <see cref="Quick"/> is the labelled smoke version (a few hundred examples, one repetition).
/// </summary>
public sealed record BenchSettings
{
    public const int MaxReps = 100;
    public const int MaxThreads = 64;
    public const int MaxBatch = 4_096;
    public const int GemmSize = 1_024;

    public int Reps { get; init; } = 3;
    public int Examples { get; init; } = EpochWorkloads.FullEpoch;
    /// <summary>Examples timed for torch at batch 1 (about 15 s per full epoch there), capped at <see cref="Examples"/>.</summary>
    public int TorchBatch1Examples { get; init; } = 5_000;
    public IReadOnlyList<int> Threads { get; init; } = [1, 2];
    public IReadOnlyList<int> Batches { get; init; } = [1, 16, 64, 256];
    public string OutDir { get; init; } = "bench-results";
    public bool SkipReproduce { get; init; }
    /// <summary>Time the full `reproduce` (every run of the report, minutes of both cores) instead of `reproduce --quick`: opt-in.</summary>
    public bool ReproduceFull { get; init; }
    public bool Quick { get; init; }
    public string? DataDir { get; init; }

    /// <summary>Examples of the untimed warm-up epoch each case runs first (JIT, libtorch's first calls).</summary>
    public int WarmUpExamples => Math.Min(Examples, Quick ? 32 : 2_000);

    /// <summary>Timed repetitions of each 1024³ GEMM.</summary>
    public int GemmReps => Quick ? 1 : 7;

    /// <summary>The settings from the command line; a null count takes its default (smaller with --quick).</summary>
    public static BenchSettings Resolve(int? reps, int? examples, int? torchBatch1Examples, string threads, string batches,
        string outDir, bool skipReproduce, bool quick, string? dataDir, string reproduce = "quick")
    {
        var full = reproduce switch
        {
            "quick" => false,
            "full" => true,
            _ => throw new UsageException($"--reproduce '{reproduce}' is not a choice: expected quick (the default) or full."),
        };
        if (full && skipReproduce)
            throw new UsageException("--reproduce full and --skip-reproduce contradict each other: drop one.");
        var examplesTimed = Count("--examples", examples ?? (quick ? 256 : EpochWorkloads.FullEpoch), EpochWorkloads.FullEpoch);
        if (string.IsNullOrWhiteSpace(outDir))
            throw new UsageException("--out is empty: expected a folder for the CSV and JSON (default bench-results).");
        return new BenchSettings
        {
            Reps = Count("--reps", reps ?? (quick ? 1 : 3), MaxReps),
            Examples = examplesTimed,
            TorchBatch1Examples = Math.Min(examplesTimed,
                Count("--torch-batch1-examples", torchBatch1Examples ?? (quick ? 64 : 5_000), EpochWorkloads.FullEpoch)),
            Threads = List("--threads", threads, MaxThreads),
            Batches = List("--batches", batches, MaxBatch),
            OutDir = outDir,
            SkipReproduce = skipReproduce,
            ReproduceFull = full,
            Quick = quick,
            DataDir = dataDir,
        };
    }

    /// <summary>A whole number from 1 to <paramref name="max"/>, or a usage error naming the option and the range.</summary>
    public static int Count(string option, int value, int max) =>
        value >= 1 && value <= max
            ? value
            : throw new UsageException($"{option} {value} is out of range: expected an integer from 1 to {max}.");

    /// <summary>The text form of <see cref="Count(string, int, int)"/> (bench/ScratchNet.Bench's own options).</summary>
    public static int Count(string option, string value, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? Count(option, count, max)
            : throw new UsageException($"{option} '{value}' is not a whole number: expected an integer from 1 to {max}.");

    /// <summary>A comma-separated list of whole numbers from 1 to <paramref name="max"/>, duplicates dropped, order kept.</summary>
    public static IReadOnlyList<int> List(string option, string value, int max)
    {
        var numbers = new List<int>();
        foreach (var item in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1 || number > max)
                throw new UsageException($"{option} '{item}' is out of range: expected comma-separated integers from 1 to {max} (e.g. {option} 1,2).");
            if (!numbers.Contains(number))
                numbers.Add(number);
        }
        return numbers.Count > 0 ? numbers : throw new UsageException($"{option} is empty: expected comma-separated integers from 1 to {max}.");
    }
}
