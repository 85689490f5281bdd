namespace ScratchNet.IO;

/// <summary>
/// Output that could not be written: a full disk (ENOSPC), a quota (EDQUOT), a read-only (EROFS) or failing (EIO) file
/// system, or no permission. Exit code 8. The message names the file, the cause and the fix, on one line; the fix is a
/// <see cref="MessageTerms"/> template ("choose {AnotherOut}"), so the CLI names its flag.
/// </summary>
public sealed class OutputWriteException : ScratchNetException
{
    private const int Eio = 5, Enospc = 28, Erofs = 30, Edquot = 122;

    private const string AnotherOut = "choose {AnotherOut}";

    /// <summary>Writing <paramref name="path"/> failed for <paramref name="cause"/>; <paramref name="fix"/> (what to do) is a
    /// <see cref="MessageTerms"/> template.</summary>
    public OutputWriteException(string path, string cause, string fix, Exception? inner = null)
        : base(MessageTerms.Message($"cannot write {path}: {cause}; {fix}."), ExitCodes.CannotWrite, inner)
    {
        (Path, Cause, FixTemplate) = (path, cause, fix);
        Template = $"cannot write {path}: {cause}; {fix}.";
    }

    public OutputWriteException() : this("output", "unknown cause", AnotherOut) { }

    public OutputWriteException(string message) : this("output", message, AnotherOut) { }

    public OutputWriteException(string message, Exception inner) : this("output", message, AnotherOut, inner) { }

    /// <summary>The file that could not be written, as the user knows it (not its temporary name).</summary>
    public string Path { get; }

    /// <summary>"no space left on device (ENOSPC)", …</summary>
    public string Cause { get; }

    /// <summary>What to do, e.g. "free space or choose another output folder".</summary>
    public string Fix => MessageTerms.Message(FixTemplate);

    /// <summary>What to do as a <see cref="MessageTerms"/> template, e.g. "free space or choose {AnotherOut}".</summary>
    public string FixTemplate { get; }

    /// <summary>True for an error of writing a file or folder (not a missing folder: that one the caller checks itself).</summary>
    public static bool IsWriteFault(Exception e) =>
        e is UnauthorizedAccessException || (e is IOException && e is not FileNotFoundException and not DirectoryNotFoundException);

    /// <summary>True for a fault of the file system itself (full, over quota, read-only, failing, no permission), as opposed to
    /// a file in use or missing.</summary>
    public static bool IsFileSystemFault(Exception e) =>
        e is UnauthorizedAccessException || e is IOException { HResult: Enospc or Edquot or Erofs or Eio };

    /// <summary>True when more free space (or quota) is what would let the write succeed.</summary>
    public bool IsOutOfSpace => InnerException is IOException { HResult: Enospc or Edquot };

    /// <summary>The same failure with another fix, a <see cref="MessageTerms"/> template (a run adds which checkpoint is
    /// kept, a report that the old report is intact).</summary>
    public OutputWriteException WithFix(string fix) => new(Path, Cause, fix, InnerException);

    /// <summary>Names the cause of <paramref name="fault"/> (an <see cref="IsWriteFault"/> exception) writing <paramref name="path"/>.</summary>
    public static OutputWriteException For(string path, Exception fault)
    {
        var (cause, fix) = fault switch
        {
            UnauthorizedAccessException => ("permission denied", "make the folder writable or " + AnotherOut),
            IOException { HResult: Enospc } => ("no space left on device (ENOSPC)", "free space or " + AnotherOut),
            IOException { HResult: Edquot } => ("disk quota exceeded (EDQUOT)", "free space within your quota or " + AnotherOut),
            IOException { HResult: Erofs } => ("read-only file system (EROFS)", "remount it read-write or " + AnotherOut),
            IOException { HResult: Eio } => ("input/output error (EIO): the disk may be failing", "check the disk (dmesg) or " + AnotherOut),
            _ => (MessageText.Printable(fault.Message, 200), AnotherOut),
        };
        return new OutputWriteException(path, cause, fix, fault);
    }
}
