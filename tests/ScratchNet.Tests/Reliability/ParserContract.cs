using FsCheck;
using FsCheck.Fluent;

namespace ScratchNet.Tests.Reliability;

/// <summary>
/// What every reader promises about a damaged file: it returns a self-consistent result or throws
/// <see cref="DataException"/> with a non-empty one-line message, never anything else, and it never allocates more
/// than <see cref="AllocationAllowance"/> plus four times the file's length (nothing sized by an unchecked header).
/// </summary>
internal static class ParserContract
{
    public const long AllocationAllowance = 64L << 20;

    /// <summary>Characters a terminal shows as a line break (LF, CR, VT, FF, NEL, LS, PS).</summary>
    private static readonly char[] LineBreaks = ['\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029'];

    /// <summary>Runs <paramref name="parse"/>; on success runs <paramref name="check"/> on the result. Any exception
    /// other than <see cref="DataException"/> escapes, which fails the property and prints the case.</summary>
    public static Property ParsesOrRefuses<T>(MutatedFile file, Func<T> parse, Action<T> check)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        T result;
        try
        {
            result = parse();
        }
        catch (DataException e)
        {
            AssertBounded(before, file);
            AssertOneLine(e.Message);
            return true.Classify(true, "refused");
        }
        AssertBounded(before, file);
        check(result);
        return true.Classify(true, "parsed");
    }

    public static void AssertOneLine(string message)
    {
        Assert.False(string.IsNullOrWhiteSpace(message), "the DataException has an empty message");
        Assert.True(message.IndexOfAny(LineBreaks) < 0, $"the DataException message spans several lines: {message}");
    }

    private static void AssertBounded(long before, MutatedFile file)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var bound = AllocationAllowance + 4L * file.Bytes.Length;
        Assert.True(allocated < bound, $"the reader allocated {allocated} bytes for a {file.Bytes.Length}-byte file (bound {bound})");
    }
}
