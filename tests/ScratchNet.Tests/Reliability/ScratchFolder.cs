namespace ScratchNet.Tests.Reliability;

/// <summary>
/// Where the mutation properties write their thousands of files: in memory (<c>/dev/shm</c>) when the machine has it,
/// else the temp folder. Each file is rewritten in place, never deleted or truncated to zero per case: on a disk mounted
/// with online discard, deleting thousands of small files takes seconds. The folder is deleted on dispose.
/// </summary>
internal sealed class ScratchFolder : IDisposable
{
    public ScratchFolder()
    {
        var root = Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        Path = System.IO.Path.Combine(root, "scratchnet-mutations-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string name, byte[] content)
    {
        var path = System.IO.Path.Combine(Path, name);
        using var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        file.Write(content);
        file.SetLength(content.Length);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
