using ScratchNet.Benchmarking;

namespace ScratchNet.Tests.Benchmarking;

/// <summary>getrusage(RUSAGE_CHILDREN) through <see cref="ChildProcessUsage"/>, on children whose memory is known.</summary>
public class ChildProcessUsageTests
{
    [Fact]
    public void A_child_that_fills_a_buffer_larger_than_this_process_shows_at_least_that_peak_RSS()
    {
        // A child's ru_maxrss starts at its parent's RSS, so the buffer must be larger than this test process for the
        // figure to come from the child: dd reads that many MiB from /dev/zero into one buffer.
        var megabytes = Environment.WorkingSet / (1024 * 1024) + 200;
        var run = ChildProcessUsage.Run("dd", ["if=/dev/zero", "of=/dev/null", $"bs={megabytes}M", "count=1"], CancellationToken.None);

        Assert.Equal(0, run.ExitCode);
        Assert.True(run.WallSeconds > 0);
        Assert.True(run.ParentRssKiBAtStart > 0);
        Assert.NotNull(run.PeakRssKiB);
        Assert.InRange(run.PeakRssKiB.Value, megabytes * 1024, 24L * 1024 * 1024); // KiB: at least the buffer, at most the machine
    }

    [Fact]
    public void The_exit_code_and_last_error_line_of_a_failing_child_are_kept()
    {
        var run = ChildProcessUsage.Run("/bin/sh", ["-c", "echo first >&2; echo 'the real problem' >&2; exit 3"], CancellationToken.None);

        Assert.Equal((3, "the real problem"), (run.ExitCode, run.LastError));
    }
}
