using System.Runtime.ExceptionServices;
using ScratchNet.IO;

namespace ScratchNet.Runs;

/// <summary>How both engines end a run that threw: the manifest is never left saying Running when it can still be written.</summary>
public static class RunFailure
{
    /// <summary>
    /// Writes the final manifest for <paramref name="error"/> (Interrupted for a cancellation, else Failed with the
    /// message) if the folder can still take it. A write fault comes back as the exception to throw, its fix extended by
    /// <paramref name="kept"/> (what a resume can start from; a <see cref="MessageTerms"/> template) and whether the manifest was updated; any other error is
    /// rethrown as it was.
    /// </summary>
    public static Exception Record(Exception error, RunFolder folder, Func<RunStatus, string, RunManifest> manifest, string kept)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(manifest);
        if (error is OutputWriteException write)
        {
            var failed = write.WithFix($"{write.FixTemplate}; {kept}");
            var recorded = folder.TryWriteManifest(manifest(RunStatus.Failed, failed.Message));
            return write.WithFix($"{failed.FixTemplate}; {(recorded ? "manifest.json says Failed" : "manifest.json could not be updated either (readers show the run as interrupted once this process is gone)")}");
        }
        var status = error is OperationCanceledException ? RunStatus.Interrupted : RunStatus.Failed;
        var message = error is ScratchNetException ? error.Message : $"internal error: {error.GetType().Name}: {error.Message}";
        folder.TryWriteManifest(manifest(status, message));
        ExceptionDispatchInfo.Throw(error);
        return error; // not reached
    }
}
