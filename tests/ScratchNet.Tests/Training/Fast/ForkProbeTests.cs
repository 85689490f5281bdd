using ScratchNet.Training.Fast;

namespace ScratchNet.Tests.Training.Fast;

public class ForkProbeTests
{
    private const int ProbeSteps = ForkProbe.WarmUpSteps + 2 * ForkProbe.BlocksPerWay * ForkProbe.BlockSteps;

    // Runs a probe on a synthetic clock: a step takes oneThread ticks, or twoThreads when it forks, and the first step
    // of each block (and of the warm-up) takes `transition` extra. Returns each step's answer and the probe.
    private static (List<bool> Forks, ForkProbe Probe) Run(long oneThread, long twoThreads, long transition = 0, int steps = ProbeSteps + 10)
    {
        var probe = new ForkProbe();
        var forks = new List<bool>();
        long now = 0;
        bool? previous = null;
        for (var s = 0; s < steps; s++)
        {
            var fork = probe.NextStep(now);
            forks.Add(fork);
            now += (fork ? twoThreads : oneThread) + (previous != fork ? transition : 0);
            previous = fork;
        }
        return (forks, probe);
    }

    [Fact]
    public void It_warms_up_on_one_thread_then_alternates_blocks_of_each_way_starting_with_one_thread()
    {
        var (forks, probe) = Run(100, 100, steps: ProbeSteps);
        Assert.All(forks.Take(ForkProbe.WarmUpSteps), Assert.False);
        for (var s = ForkProbe.WarmUpSteps; s < ProbeSteps; s++)
            Assert.Equal((s - ForkProbe.WarmUpSteps) / ForkProbe.BlockSteps % 2 == 1, forks[s]);
        Assert.Null(probe.Decision);
        Assert.Equal(ProbeSteps, probe.StepsProbed);
    }

    [Fact]
    public void Two_threads_that_make_the_step_faster_are_kept()
    {
        var (forks, probe) = Run(oneThread: 100, twoThreads: 70);
        Assert.True(probe.Decision);
        Assert.All(forks.Skip(ProbeSteps), Assert.True);
    }

    [Theory]
    [InlineData(100, 150)] // the AVX-512 machine of docs/benchmarks.md: forking made the step 1.5× slower
    [InlineData(100, 100)] // no gain: one thread, no hand-offs
    [InlineData(100, 96)]  // a gain below RequiredGain is within a busy machine's noise
    public void Two_threads_that_do_not_pay_are_dropped(long oneThread, long twoThreads)
    {
        var (forks, probe) = Run(oneThread, twoThreads);
        Assert.False(probe.Decision);
        Assert.All(forks.Skip(ProbeSteps), Assert.False);
    }

    [Fact]
    public void The_first_step_of_each_block_is_not_counted()
    {
        // Every switch between the ways costs 40 steps' worth (the data moving between the cores); counted, it would
        // make the faster way look slower. Uncounted, two threads (70 against 100) are kept.
        var (_, probe) = Run(oneThread: 100, twoThreads: 70, transition: 4_000);
        Assert.True(probe.Decision);
    }

    [Fact]
    public void An_outlier_step_does_not_decide()
    {
        // one step of a one-thread block stalls for a long time (an evaluation, the machine's load): the median ignores it
        var probe = new ForkProbe();
        long now = 0;
        for (var s = 0; s < ProbeSteps; s++)
        {
            var fork = probe.NextStep(now);
            now += fork ? 90 : 100;
            if (s == ForkProbe.WarmUpSteps + 5)
                now += 1_000_000;
        }
        Assert.True(probe.NextStep(now));
    }

    [Fact]
    public void Decide_compares_medians()
    {
        Assert.True(ForkProbe.Decide([50, 60, 1_000], [100, 100, 100]));
        Assert.False(ForkProbe.Decide([96, 96], [100, 100]));
        Assert.True(ForkProbe.Decide([94], [100]));
        Assert.False(ForkProbe.Decide([], [100]));
    }
}
