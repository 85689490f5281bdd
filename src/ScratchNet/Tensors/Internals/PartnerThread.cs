using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace ScratchNet.Tensors.Internals;

/// <summary>
/// A second thread that runs one fixed piece of work each time its owner asks (<see cref="Post"/>), while the owner
/// does its own share, and then waits for it (<see cref="Wait"/>). Work that lasts a few microseconds and comes
/// every ~10 µs (a per-example SGD step) cannot afford a wake-up (5–50 µs), so between requests the thread spins:
/// for <see cref="SpinTicks"/> on the pause instruction, then yielding its core to anyone else who wants it until
/// <see cref="YieldTicks"/>, then it parks on a semaphore; if nothing comes for <see cref="ParkTimeout"/> it exits,
/// and the next <see cref="Post"/> starts a new one. So an owner that is dropped without <see cref="Dispose"/> leaks
/// nothing for long, and one that pauses (an evaluation between epochs) leaves its core free.
/// Each posted piece of work is claimed exactly once, by the partner or, if the partner has not started it by the
/// time the owner calls <see cref="Wait"/>, by the owner, who then runs it itself: on a busy machine, where the partner
/// may wait milliseconds for a core, the pair is never much slower than the owner alone.
/// A failure in the work is rethrown by <see cref="Wait"/>, as it was thrown. One owner thread only.
/// </summary>
internal sealed class PartnerThread : IDisposable
{
    private const int Spinning = 0, Parked = 1, Exited = 2;

    private static readonly long SpinTicks = Stopwatch.Frequency / 20_000; // 50 µs
    private static readonly long YieldTicks = Stopwatch.Frequency / 500;   // 2 ms

    private readonly Action _work;
    private readonly string _name;
    private readonly bool _startThreads;
    private readonly SemaphoreSlim _wake = new(0);
    private long _requested, _claimed, _completed;
    private bool _outstanding;
    private int _state = Exited;
    private volatile bool _disposed;
    private Exception? _failure;
    private Thread? _thread;

    /// <param name="work">Runs on the partner once per <see cref="Post"/>; it reads its arguments from fields the owner set before posting.</param>
    /// <param name="name">The thread's name (shown by debuggers and profilers).</param>
    /// <param name="parkTimeout">How long a parked partner waits for work before it exits.</param>
    /// <param name="startThreads">False for tests: no thread is ever started, so the owner runs every piece of work.</param>
    public PartnerThread(Action work, string name, TimeSpan? parkTimeout = null, bool startThreads = true)
    {
        _work = work;
        _name = name;
        ParkTimeout = parkTimeout ?? TimeSpan.FromSeconds(1);
        _startThreads = startThreads;
    }

    public TimeSpan ParkTimeout { get; }

    /// <summary>How many pieces of work the owner ran itself because the partner had not claimed them in time.</summary>
    public long RunByOwner { get; private set; }

    /// <summary>True while a partner thread exists (spinning, yielding, parked or working); false once it has exited.</summary>
    public bool HasThread => Volatile.Read(ref _state) != Exited;

    /// <summary>How many threads this partner has started so far (a new one after each idle exit).</summary>
    public int ThreadsStarted { get; private set; }

    /// <summary>Asks the partner to run the work once; everything written before this call is visible to the work.</summary>
    public void Post()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_outstanding)
            throw new InvalidOperationException("Post was called while the last posted work was still running: call Wait first.");
        _outstanding = true;
        Interlocked.Increment(ref _requested); // a full fence: the work's arguments are published, then the state is read
        if (!_startThreads)
            return;
        while (true)
        {
            switch (Volatile.Read(ref _state))
            {
                case Spinning:
                    return;
                case Parked:
                    if (Interlocked.CompareExchange(ref _state, Spinning, Parked) == Parked)
                    {
                        _wake.Release();
                        return;
                    }
                    break; // it woke or exited meanwhile: look again
                default:
                    Start();
                    return;
            }
        }
    }

    /// <summary>
    /// Returns once the posted work has run — on the partner, or here if the partner had not claimed it yet; everything
    /// it wrote is then visible. Rethrows its failure.
    /// </summary>
    public void Wait()
    {
        if (!_outstanding)
            return;
        _outstanding = false;
        var target = _requested;
        if (Interlocked.CompareExchange(ref _claimed, target, target - 1) == target - 1)
        {
            RunByOwner++;
            _work(); // a failure propagates as it is: it happened on this thread
            return;
        }
        var start = Stopwatch.GetTimestamp();
        while (Volatile.Read(ref _completed) != target)
        {
            if (Stopwatch.GetTimestamp() - start < SpinTicks)
                Thread.SpinWait(1);
            else
                Thread.Yield();
        }
        if (_failure is { } failure)
        {
            _failure = null;
            ExceptionDispatchInfo.Throw(failure); // as if it had run here
        }
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (Interlocked.CompareExchange(ref _state, Spinning, Parked) == Parked)
            _wake.Release();
        _thread?.Join();
        _wake.Dispose();
    }

    private void Start()
    {
        _thread?.Join(); // it has exited, or is about to
        Volatile.Write(ref _state, Spinning);
        _thread = new Thread(Loop) { IsBackground = true, Name = _name };
        ThreadsStarted++;
        _thread.Start();
    }

    private void Loop()
    {
        while (WaitForRequest())
        {
            // the newest request: an older one the owner claimed may never have been seen here
            var target = Volatile.Read(ref _requested);
            if (Interlocked.CompareExchange(ref _claimed, target, target - 1) != target - 1)
                continue; // the owner is running it
            try
            {
                _work();
            }
#pragma warning disable CA1031 // any failure is handed to the owner, who rethrows it from Wait
            catch (Exception e)
#pragma warning restore CA1031
            {
                _failure = e;
            }
            Volatile.Write(ref _completed, target);
        }
    }

    // true when a request is there to run; false when the thread should exit (disposed, or idle past the timeout)
    private bool WaitForRequest()
    {
        var start = Stopwatch.GetTimestamp();
        while (Volatile.Read(ref _requested) == Volatile.Read(ref _claimed))
        {
            if (_disposed)
                return Exit();
            var idle = Stopwatch.GetTimestamp() - start;
            if (idle < SpinTicks)
                Thread.SpinWait(1);
            else if (idle < YieldTicks)
                Thread.Yield();
            else if (!Park())
                return false;
        }
        return true;
    }

    // Parked until posted to (true) or the timeout (false, the thread exits). The exchange is a full fence, so either
    // this thread sees a request posted meanwhile or the poster sees Parked and releases the semaphore.
    private bool Park()
    {
        Interlocked.Exchange(ref _state, Parked);
        if (Volatile.Read(ref _requested) != Volatile.Read(ref _claimed) || _disposed)
        {
            if (Interlocked.CompareExchange(ref _state, Spinning, Parked) != Parked)
                _wake.Wait(); // the poster took it first and released the semaphore: consume that
            return !_disposed || Exit();
        }
        if (_wake.Wait(ParkTimeout))
            return !_disposed || Exit();
        if (Interlocked.CompareExchange(ref _state, Exited, Parked) == Parked)
            return false;
        _wake.Wait(); // a post raced the timeout: it released the semaphore
        return !_disposed || Exit();
    }

    private bool Exit()
    {
        Volatile.Write(ref _state, Exited);
        return false;
    }
}
