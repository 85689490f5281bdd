namespace ScratchNet.IO;

/// <summary>
/// Writes files so that a reader (or a process killed mid-write) sees either the old file or the complete new one,
/// never a half-written file: the content goes to a temporary name in the same folder, is flushed to disk, then renamed.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var temporary = TemporaryName(path);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary); // no-op after a successful move
        }
    }

    public static void WriteAllText(string path, string text) => WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Streams the content through <paramref name="write"/>; the file appears only once it returns.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var temporary = TemporaryName(path);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Deletes the temporary files a writer killed mid-write (SIGKILL, power loss) left in <paramref name="folder"/>
    /// and returns their names. Call it only while holding the folder's lock, so no live writer's file is taken.
    /// </summary>
    public static IReadOnlyList<string> DeleteStaleTemporaries(string folder)
    {
        var deleted = new List<string>();
        foreach (var path in Directory.EnumerateFiles(folder, ".*.tmp"))
        {
            if (!IsTemporaryName(Path.GetFileName(path)))
                continue;
            File.Delete(path);
            deleted.Add(Path.GetFileName(path));
        }
        return deleted;
    }

    /// <summary>True for a name <see cref="TemporaryName"/> makes: <c>.NAME.PID.GUID.tmp</c>.</summary>
    public static bool IsTemporaryName(string fileName)
    {
        var parts = fileName.Split('.');
        return parts.Length >= 5 && parts[0].Length == 0 && parts[^1] == "tmp"
            && parts[^2].Length == 32 && parts[^2].All(char.IsAsciiHexDigitLower)
            && parts[^3].Length > 0 && parts[^3].All(char.IsAsciiDigit);
    }

    private static string TemporaryName(string path)
    {
        var full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
    }
}
