using static TorchSharp.torch;

namespace ScratchNet.Torch;

/// <summary>Process-wide libtorch facts. libtorch's default generator and thread count are global to the process.</summary>
public static class TorchEngine
{
    /// <summary>Held while a run seeds and consumes libtorch's global generator, so two runs in one process cannot interleave draws.</summary>
    internal static readonly Lock GlobalStateLock = new();

    /// <summary>The libtorch version TorchSharp runs on (e.g. "2.10.0"); touching it loads the natives.</summary>
    public static string LibTorchVersion => __version__;

    /// <summary>torch.set_num_threads: intra-op threads for every later libtorch call in this process.</summary>
    public static void SetThreads(int threads)
    {
        if (threads < 1)
            ThrowHelper.OutOfRange(nameof(threads), threads, "1 or more");
        set_num_threads(threads);
    }
}
