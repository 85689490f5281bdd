using ScratchNet.Cli.Benchmarking;

namespace ScratchNet.Tests.Benchmarking;

/// <summary>getrusage(RUSAGE_CHILDREN) through <see cref="ChildProcessUsage"/>, on children whose memory is known.</summary>
public class ChildProcessUsageTests
{
    [Fact]
    public void A_child_that_fills_a_96_MiB_buffer_shows_at_least_that_peak_RSS()
    {
        // dd reads 96 MiB from /dev/zero into one buffer: its resident set passes 96 MiB
        var run = ChildProcessUsage.Run("dd", ["if=/dev/zero", "of=/dev/null", "bs=96M", "count=1"], CancellationToken.None);

        Assert.Equal(0, run.ExitCode);
        Assert.True(run.WallSeconds > 0);
        Assert.NotNull(run.PeakRssKiB);
        Assert.InRange(run.PeakRssKiB.Value, 96 * 1024, 24L * 1024 * 1024); // KiB: at least the buffer, at most the machine
    }

    [Fact]
    public void The_exit_code_and_last_error_line_of_a_failing_child_are_kept()
    {
        var run = ChildProcessUsage.Run("/bin/sh", ["-c", "echo first >&2; echo 'the real problem' >&2; exit 3"], CancellationToken.None);

        Assert.Equal((3, "the real problem"), (run.ExitCode, run.LastError));
    }
}
