using System.Diagnostics;

namespace ScratchNet.Tests.Reliability;

/// <summary>
/// A small tmpfs mounted for one test, for real ENOSPC and EROFS faults: `mount -t tmpfs -o size=…` needs root (CI runs
/// as root). Where mounting is not allowed the test is skipped visibly, with mount's own reason, through Xunit.SkippableFact.
/// Unmounted (lazily, should a child still hold a file) and removed on dispose.
/// </summary>
internal sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (mount's syntax: 700k, 4m) or skips the test saying why it cannot.</summary>
    public static TmpfsMount Create(string size)
    {
        var path = Directory.CreateTempSubdirectory("scratchnet-tmpfs-").FullName;
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            Skip.If(true, $"cannot mount a tmpfs for this fault case (needs root or CAP_SYS_ADMIN; running as uid {Environment.GetEnvironmentVariable("UID") ?? Id()}): mount said: {output.Trim()}");
        }
        return new TmpfsMount(path);
    }

    /// <summary>Changes the mount's options in place (a larger size to free space; ro / rw).</summary>
    public void Remount(string options)
    {
        var (code, output) = Run("mount", "-o", $"remount,{options}", Path);
        Assert.True(code == 0, $"mount -o remount,{options} {Path} failed: {output}");
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // a lazily unmounted folder goes once its last user closes it
        }
    }

    private static string Id() => Run("id", "-u").Output.Trim();

    private static (int Code, string Output) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output.Result + error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{program} could not be started: {e.Message}");
        }
    }
}
