namespace ScratchNet;

/// <summary>Process exit codes of ScratchNet; documented in the README.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;
    /// <summary>An unexpected internal error (a bug): the only case that prints a stack trace.</summary>
    public const int InternalError = 1;
    /// <summary>Bad command line: unknown command or option, a value out of its valid range.</summary>
    public const int Usage = 2;
    /// <summary>A data problem: a file is missing, truncated, corrupt or not what it claims to be.</summary>
    public const int Data = 3;
    /// <summary>Training diverged (a loss became NaN or infinite).</summary>
    public const int Diverged = 4;
    /// <summary>A verification failed (e.g. a calculus claim did not hold).</summary>
    public const int CheckFailed = 5;
    /// <summary>Another process holds the output folder's lock.</summary>
    public const int Locked = 6;
    /// <summary>A plan (reproduce, sweep) finished, but some of its runs failed; the report says which.</summary>
    public const int SomeRunsFailed = 7;
    /// <summary>Could not write output: the disk is full, a quota is reached, the file system is read-only or failing.</summary>
    public const int CannotWrite = 8;
    /// <summary>The run folder was removed, or replaced by another, while the run was writing it.</summary>
    public const int RunFolderGone = 9;
    /// <summary>Interrupted by Ctrl+C (128 + SIGINT).</summary>
    public const int Interrupted = 130;
}

/// <summary>
/// An error caused by the user's input or environment rather than by a bug. The CLI prints its message
/// (one line, naming the problem and the fix) without a stack trace and exits with <see cref="ExitCode"/>.
/// </summary>
public class ScratchNetException : Exception
{
    public ScratchNetException(string message, int exitCode, Exception? inner = null)
        : base(message, inner) => ExitCode = exitCode;

    public ScratchNetException() : this("ScratchNet error.", ExitCodes.InternalError) { }

    public ScratchNetException(string message) : this(message, ExitCodes.InternalError) { }

    public ScratchNetException(string message, Exception inner) : this(message, ExitCodes.InternalError, inner) { }

    public int ExitCode { get; }

    /// <summary>
    /// The message with a <c>{Name}</c> placeholder for each setting (<c>Runs.SettingNames</c>) or term
    /// (<see cref="MessageTerms"/>) it names, so a front end can name them as its user knows them (the CLI: by its
    /// flags); null when the message names none. <see cref="Exception.Message"/> names them as quantities.
    /// </summary>
    public string? Template { get; init; }
}

/// <summary>A file that is missing, truncated, corrupt or not in the expected format. Exit code 3.</summary>
public sealed class DataException : ScratchNetException
{
    public DataException(string message, Exception? inner = null) : base(message, ExitCodes.Data, inner) { }

    public DataException() : this("Data error.") { }

    public DataException(string message) : this(message, null) { }
}

/// <summary>An option or argument outside its valid range. Exit code 2.</summary>
public sealed class UsageException : ScratchNetException
{
    public UsageException(string message) : base(message, ExitCodes.Usage) { }

    public UsageException() : this("Usage error.") { }

    public UsageException(string message, Exception inner) : base(message, ExitCodes.Usage, inner) { }

    /// <summary>
    /// An error about settings: <paramref name="message"/> names them as quantities ("the learning rate 200 is out of
    /// range …"), <paramref name="template"/> is the same text with a <c>{Name}</c> placeholder for each setting (the
    /// property of the options record), so a front end can name them as its user knows them (the CLI: by its flags).
    /// </summary>
    public UsageException(string message, string template) : base(message, ExitCodes.Usage) => Template = template;
}
