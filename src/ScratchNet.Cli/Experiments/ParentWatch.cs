namespace ScratchNet.Cli.Experiments;

/// <summary>
/// Stops an orphaned worker. <see cref="JobRunner"/> gives each worker a standard input it never writes to and marks it
/// with <see cref="Variable"/>; when the parent dies, however it dies (even SIGKILL), the kernel closes that pipe and
/// the worker reads end-of-file. The worker then interrupts itself as Ctrl+C would (finishes the step, keeps its last
/// checkpoint, exits 130), instead of training on holding the run folder's lock against the rerun.
/// </summary>
internal static class ParentWatch
{
    public const string Variable = "SCRATCHNET_WORKER_PARENT_PIPE";

    public static void InterruptWhenParentExits()
    {
        if (OperatingSystem.IsWindows() || Environment.GetEnvironmentVariable(Variable) != "1")
            return;
        var watcher = new Thread(() =>
        {
            using var input = Console.OpenStandardInput();
            var buffer = new byte[64];
            while (input.Read(buffer) > 0)
            {
                // The parent writes nothing; read until it is gone.
            }
            const int SigInt = 2;
            _ = NativeMethods.Kill(Environment.ProcessId, SigInt);
        })
        { IsBackground = true, Name = "parent watch" };
        watcher.Start();
    }
}
