using ScratchNet.IO;
using ScratchNet.Runs;

namespace ScratchNet.Tests.Reliability;

/// <summary>Opening a run folder removes exactly the temporary files a killed AtomicFile writer leaves, nothing else.</summary>
public sealed class AtomicFileCleanupTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("scratchnet-tmpclean-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(".manifest.json.4242.0123456789abcdef0123456789abcdef.tmp", true)]
    [InlineData(".checkpoint.safetensors.1.ffffffffffffffffffffffffffffffff.tmp", true)]
    [InlineData(".notes.tmp", false)]
    [InlineData("manifest.json.4242.0123456789abcdef0123456789abcdef.tmp", false)] // no leading dot
    [InlineData(".manifest.json.pid.0123456789abcdef0123456789abcdef.tmp", false)] // pid not a number
    [InlineData(".manifest.json.4242.0123456789ABCDEF0123456789ABCDEF.tmp", false)] // Guid "N" is lower case
    [InlineData(".manifest.json.4242.0123456789abcdef.tmp", false)] // short guid
    public void Only_names_AtomicFile_makes_count_as_its_temporaries(string name, bool temporary) =>
        Assert.Equal(temporary, AtomicFile.IsTemporaryName(name));

    [Fact]
    public void A_real_temporary_name_is_recognised()
    {
        // Catch the writer's temporary file by making the rename fail: the target is a folder.
        var target = Path.Combine(_dir, "target");
        Directory.CreateDirectory(target);
        string? seen = null;
        Assert.ThrowsAny<IOException>(() => AtomicFile.Write(target, _ => seen = Directory.EnumerateFiles(_dir).Single()));
        Assert.True(AtomicFile.IsTemporaryName(Path.GetFileName(seen!)), seen);
        Assert.Empty(Directory.EnumerateFiles(_dir)); // and the failed write removed it
    }

    [Fact]
    public void Opening_a_run_folder_deletes_stale_temporaries_and_keeps_everything_else()
    {
        var stale = Path.Combine(_dir, $".metrics.csv.999999.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(stale, "epoch,seco");
        var keep = new[] { ".notes.tmp", "metrics.csv", "log.txt" }.Select(name => Path.Combine(_dir, name)).ToList();
        keep.ForEach(path => File.WriteAllText(path, "x"));

        using (RunFolder.Open(_dir))
        {
            Assert.False(File.Exists(stale));
            Assert.All(keep, path => Assert.True(File.Exists(path), path));
            Assert.Contains($"pid {Environment.ProcessId} ", File.ReadAllText(Path.Combine(_dir, ".lock.owner")), StringComparison.Ordinal);
        }
        Assert.False(File.Exists(Path.Combine(_dir, ".lock.owner")), "closing the folder removes the owner note");
        Assert.False(File.Exists(Path.Combine(_dir, ".lock")));
    }
}
