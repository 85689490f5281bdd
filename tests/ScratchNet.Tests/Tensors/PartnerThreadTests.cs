using ScratchNet.Tensors.Internals;

namespace ScratchNet.Tests.Tensors;

/// <summary>
/// The spinning partner thread of the two-thread per-example step: each post runs the work exactly once and Wait sees
/// what it wrote, across every state the partner can be in when the post comes (spinning, yielding, parked, exited,
/// and the races between them), a failure reaches the owner, and disposal stops it.
/// </summary>
public sealed class PartnerThreadTests
{
    [Fact]
    public void Every_post_runs_the_work_once_and_wait_sees_its_writes()
    {
        var values = new long[1];
        var seen = 0L;
        using var partner = new PartnerThread(() => values[0] = values[0] * 3 + 1, "test partner");
        for (var i = 0; i < 20_000; i++)
        {
            values[0] = i;
            partner.Post();
            partner.Wait();
            Assert.Equal(3L * i + 1, values[0]);
            seen++;
        }
        Assert.Equal(20_000, seen);
        Assert.Equal(1, partner.ThreadsStarted);
    }

    // Gaps from none to past the park timeout, in a fixed random order, so posts land while the partner spins,
    // yields, parks, times out and exits — and on the boundaries between those.
    [Fact]
    public void Posts_after_any_idle_gap_run_exactly_once()
    {
        var runs = 0;
        using var partner = new PartnerThread(() => runs++, "test partner", parkTimeout: TimeSpan.FromMilliseconds(1));
        var random = new Random(11);
        const int posts = 400;
        for (var i = 0; i < posts; i++)
        {
            var gapMicroseconds = random.Next(0, 6_000);
            var until = System.Diagnostics.Stopwatch.GetTimestamp() + gapMicroseconds * System.Diagnostics.Stopwatch.Frequency / 1_000_000;
            while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
                Thread.Sleep(0);
            partner.Post();
            if (i % 3 == 0)
                Thread.Sleep(0); // give the partner a chance to claim it; otherwise the owner often does
            partner.Wait();
            Assert.Equal(i + 1, runs);
        }
        // Whether a gap above let the partner time out depends on the scheduler (on a loaded machine the next post can
        // always come first), so the idle exit and the restart are checked after a gap the partner must see.
        var started = partner.ThreadsStarted;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (partner.HasThread && DateTime.UtcNow < deadline)
            Thread.Sleep(5);
        Assert.False(partner.HasThread, "the partner did not exit after 10 s without work (park timeout 1 ms)");
        partner.Post();
        partner.Wait();
        Assert.Equal(posts + 1, runs);
        Assert.Equal(started + 1, partner.ThreadsStarted);
    }

    [Fact]
    public void Work_the_partner_has_not_claimed_is_run_by_the_owner()
    {
        var threads = new List<int>();
        using var partner = new PartnerThread(() => threads.Add(Environment.CurrentManagedThreadId), "test partner", startThreads: false);
        for (var i = 0; i < 5; i++)
        {
            partner.Post();
            partner.Wait();
        }
        Assert.Equal(Enumerable.Repeat(Environment.CurrentManagedThreadId, 5), threads);
        Assert.Equal(5, partner.RunByOwner);
        Assert.Equal(0, partner.ThreadsStarted);
    }

    [Fact]
    public void A_failure_in_the_work_is_rethrown_by_wait_and_the_partner_goes_on()
    {
        var fail = true;
        var runs = 0;
        using var partner = new PartnerThread(() =>
        {
            runs++;
            if (fail)
                throw new ArithmeticException("boom");
        }, "test partner");
        partner.Post();
        Assert.Throws<ArithmeticException>(partner.Wait);
        fail = false;
        partner.Post();
        partner.Wait();
        Assert.Equal(2, runs);
    }

    [Fact]
    public void Posting_twice_without_waiting_is_refused_and_dispose_stops_it()
    {
        using var release = new ManualResetEventSlim(false);
        var partner = new PartnerThread(() => release.Wait(), "test partner");
        partner.Post();
        Assert.Throws<InvalidOperationException>(partner.Post);
        release.Set();
        partner.Wait();
        partner.Dispose();
        Assert.Throws<ObjectDisposedException>(partner.Post);
    }
}
