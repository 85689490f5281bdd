using System.Diagnostics;

namespace ScratchNet.Training.Fast;

/// <summary>
/// Decides by timing whether a step whose work can be split over two threads should be: after
/// <see cref="WarmUpSteps"/> steps on one thread (the JIT's tiers settle), blocks of <see cref="BlockSteps"/> steps
/// alternate between one thread and two, <see cref="BlocksPerWay"/> blocks each (other sizes for per-example steps,
/// <see cref="ForPerExampleSteps"/>); then the faster way is kept for the rest of the run. A step's time is the
/// interval from its start to the next step's start, so it includes what the caller does in between (the optimizer
/// step reading the gradients the partner wrote); the first step of each block is not counted (it moves the data to
/// where the new way wants it). Two threads are kept only if their median
/// step is at least <see cref="RequiredGain"/> faster than one thread's.
/// Why: how much a fork costs depends on the machine, not on the step. Splitting a mini-batch's first layer by
/// columns moves cache lines of W1 and of its gradient between the cores every step. On the 2-core AMD EPYC (Zen 3)
/// of 2026-12-04/05 it paid at batch 16 (0.72–0.81 s per epoch against 0.90 s); on a 2-core AMD EPYC with AVX-512
/// whose cores hand a cache line over in ~240 ns, it made batch 16 1.5× slower (1.28 s against 0.83 s) and every
/// batch from 8 to 31 slower, and the GEMMs' two threads made batch 64 up to 1.3× slower (0.341 s against 0.267 s)
/// while still paying at batch 256 (docs/benchmarks.md). The choice changes only which thread computes which
/// columns, never a result.
/// </summary>
internal sealed class ForkProbe
{
    /// <summary>Steps on one thread before timing starts.</summary>
    public const int WarmUpSteps = 16;

    /// <summary>Consecutive steps taken the same way.</summary>
    public const int BlockSteps = 4;

    /// <summary>Blocks timed for each way.</summary>
    public const int BlocksPerWay = 4;

    /// <summary>Two threads must make the median step at least this much faster (a fraction) to be kept.</summary>
    public const double RequiredGain = 0.05;

    private readonly int _warmUpSteps, _blockSteps, _blocksPerWay;
    private readonly List<long> _oneThread, _twoThreads;
    private int _step;
    private long _previousStart;
    private bool _previousForked, _previousCounted;

    /// <summary>A probe of <see cref="WarmUpSteps"/>, <see cref="BlockSteps"/> and <see cref="BlocksPerWay"/> (mini-batch steps of ~0.1–1 ms).</summary>
    public ForkProbe()
        : this(WarmUpSteps, BlockSteps, BlocksPerWay)
    {
    }

    /// <summary>A probe of other sizes: steps on one thread first, steps per block, blocks timed for each way.</summary>
    public ForkProbe(int warmUpSteps, int blockSteps, int blocksPerWay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmUpSteps);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSteps, 2); // a block's first step is not counted
        ArgumentOutOfRangeException.ThrowIfLessThan(blocksPerWay, 1);
        (_warmUpSteps, _blockSteps, _blocksPerWay) = (warmUpSteps, blockSteps, blocksPerWay);
        _oneThread = new(blocksPerWay * blockSteps);
        _twoThreads = new(blocksPerWay * blockSteps);
    }

    /// <summary>
    /// The probe for per-example steps (~10–30 µs each): 2,048 steps on one thread, then blocks of 256, 4 each way —
    /// about 4,100 steps, under a tenth of a 50,000-example epoch.
    /// </summary>
    public static ForkProbe ForPerExampleSteps() => new(2048, 256, 4);

    /// <summary>Steps the probe takes before it decides.</summary>
    public int ProbeSteps => _warmUpSteps + 2 * _blocksPerWay * _blockSteps;

    /// <summary>The decision once made: true to fork, false not to; null while still timing.</summary>
    public bool? Decision { get; private set; }

    /// <summary>Steps started so far while undecided (for tests).</summary>
    public int StepsProbed => _step;

    /// <summary>Call at the start of every step: whether this step forks (reads the clock only while undecided).</summary>
    public bool NextStep() => Decision ?? NextStep(Stopwatch.GetTimestamp());

    /// <summary>Call at the start of every step with the current timestamp (any monotonic clock); returns whether this step forks.</summary>
    public bool NextStep(long now)
    {
        if (Decision is { } decided)
            return decided;
        if (_step > 0 && _previousCounted)
            (_previousForked ? _twoThreads : _oneThread).Add(now - _previousStart);
        var timed = _step - _warmUpSteps;
        if (timed >= 2 * _blocksPerWay * _blockSteps)
        {
            Decision = Decide(_twoThreads, _oneThread);
            return Decision.Value;
        }
        var fork = timed >= 0 && timed / _blockSteps % 2 == 1; // one thread's block first, then two threads'
        (_previousStart, _previousForked, _previousCounted) = (now, fork, timed >= 0 && timed % _blockSteps != 0);
        _step++;
        return fork;
    }

    /// <summary>True when the median of <paramref name="twoThreads"/> is at least <see cref="RequiredGain"/> below that of <paramref name="oneThread"/>.</summary>
    public static bool Decide(IReadOnlyList<long> twoThreads, IReadOnlyList<long> oneThread)
    {
        if (twoThreads.Count == 0 || oneThread.Count == 0)
            return false;
        return Median(twoThreads) <= (1 - RequiredGain) * Median(oneThread);
    }

    private static double Median(IReadOnlyList<long> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }
}
