using ScratchNet.Data;
using ScratchNet.Tests.Reliability;

namespace ScratchNet.Tests.Data;

/// <summary>
/// The data sets as a user meets them (issue 19 part 4): found from any working directory, each one pointed to on its
/// own, and reproduce refusing to start when one it needs is missing. The real CLI, as a child process.
/// </summary>
public class DataLocationCliTests
{
    [Fact]
    public void Regress_from_another_working_directory_finds_the_bundled_Ames()
    {
        RealData.RequireAmes();
        using var elsewhere = new TempDirectory();
        using var cli = CliProcess.Run(elsewhere.Path, "regress", "linear", "--epochs", "1", "--limit", "50", "--out", "run");
        Assert.True(cli.ExitCode == 0, cli.ToString());
        var manifest = ScratchNet.Runs.RunFolder.ReadManifest(elsewhere.File("run"));
        Assert.Equal(RealData.AmesCsv, manifest.Data!.Location);
        Assert.Equal(AmesHousing.ReferenceSha256, manifest.Data.Sha256["AmesHousing.csv.gz"]);
    }

    [Fact]
    public void Reproduce_with_a_missing_Fashion_MNIST_folder_fails_before_any_run_starts()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("empty"));
        using var cli = CliProcess.Run(dir.Path, "reproduce", "--quick", "--out", "out", "--fashion-mnist", dir.File("empty"));
        Assert.Equal(ExitCodes.Data, cli.ExitCode);
        var error = cli.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(error);
        Assert.StartsWith($"scratchnet: error: Fashion-MNIST not found (searched: {dir.File("empty")})", error[0], StringComparison.Ordinal);
        Assert.Contains("Needed by q3.1a-perceptron", error[0], StringComparison.Ordinal);
        Assert.EndsWith("nothing was started.", error[0], StringComparison.Ordinal);
        Assert.DoesNotContain("reproduce:", cli.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("out")), "no run folder may be made before the data is checked");
    }

    [Fact]
    public void Reproduce_with_a_missing_Ames_file_fails_before_any_run_starts()
    {
        using var dir = new TempDirectory();
        using var cli = CliProcess.Run(dir.Path, "reproduce", "--quick", "--out", "out", "--fashion-mnist", RealData.RequireFashionMnist(), "--ames", dir.File("AmesHousing.csv"));
        Assert.Equal(ExitCodes.Data, cli.ExitCode);
        Assert.Contains($"--ames {dir.File("AmesHousing.csv")}: no such file or directory", cli.Error, StringComparison.Ordinal);
        Assert.Contains("Needed by q2.2a-linear, q2.2b-neural; nothing was started.", cli.Error, StringComparison.Ordinal);
        Assert.Contains("Fashion-MNIST: /usr/share/datasets/fashion-mnist (checksums ok)", cli.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Fact]
    public void Reproduce_passes_each_data_set_path_to_the_runs_that_read_it()
    {
        var (code, output, error) = CliRunner.Run("reproduce", "--list", "--fashion-mnist", "/fm", "--ames", "/am/AmesHousing.csv.gz");
        Assert.True(code == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines.Where(l => l.Contains(" classify ", StringComparison.Ordinal)), l =>
        {
            Assert.Contains("--fashion-mnist /fm", l, StringComparison.Ordinal);
            Assert.DoesNotContain("--ames", l, StringComparison.Ordinal);
        });
        Assert.All(lines.Where(l => l.Contains(" regress ", StringComparison.Ordinal)), l =>
        {
            Assert.Contains("--ames /am/AmesHousing.csv.gz", l, StringComparison.Ordinal);
            Assert.DoesNotContain("--fashion-mnist", l, StringComparison.Ordinal);
        });
        Assert.Equal(2, lines.Count(l => l.Contains(" regress ", StringComparison.Ordinal)));
    }
}
