using ScratchNet.Data;

namespace ScratchNet.Tests.Data;

public class DataCommandTests
{
    /// <summary>A data folder whose fashion-mnist/ and ames/ subfolders link to the real data.</summary>
    private static TempDirectory LinkedDataFolder()
    {
        var dir = new TempDirectory();
        Directory.CreateSymbolicLink(dir.File("fashion-mnist"), RealData.RequireFashionMnist());
        RealData.RequireAmes(AmesHousing.NpzName);
        Directory.CreateSymbolicLink(dir.File("ames"), RealData.AmesDirectory);
        return dir;
    }

    [Fact]
    public void Info_reports_both_data_sets_verified_with_shapes_and_balance()
    {
        using var dir = LinkedDataFolder();
        var (code, output, error) = CliRunner.Run("data", "info", "--data-dir", dir.Path);
        Assert.True(code == 0, output + error);
        Assert.Contains($"Fashion-MNIST: {dir.File("fashion-mnist")}", output, StringComparison.Ordinal);
        Assert.Equal(4, output.Split('\n').Count(line => line.Contains("ok (matches the reference)", StringComparison.Ordinal)));
        Assert.Contains("train 50000 x 784, dev 10000 x 784, test 10000 x 784", output, StringComparison.Ordinal);
        Assert.Matches(@"7 Sneaker\s+5053\s+947\s+1000", output); // numpy: np.bincount of the split labels
        Assert.Contains("train 1465 x 348, test 1465 x 348", output, StringComparison.Ordinal);
        Assert.Contains("y = ln(SalePrice): train [9.4563, 13.3294], test [9.4804, 13.5345]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Info_on_an_empty_folder_says_what_to_install_and_exits_3()
    {
        using var dir = new TempDirectory();
        var (code, output, _) = CliRunner.Run("data", "info", "--data-dir", dir.Path);
        Assert.Equal(ExitCodes.Data, code);
        Assert.Contains("Fashion-MNIST: NOT AVAILABLE", output, StringComparison.Ordinal);
        Assert.Contains("sudo apt-get install dataset-fashion-mnist", output, StringComparison.Ordinal);
        Assert.Contains("Ames Housing: NOT AVAILABLE", output, StringComparison.Ordinal);
        Assert.Contains("ames.npz", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Info_with_a_wrong_path_exits_3_naming_it()
    {
        var (code, output, _) = CliRunner.Run("data", "info", "--data-dir", "/no/such/dir");
        Assert.Equal(ExitCodes.Data, code);
        Assert.Contains("--data-dir /no/such/dir: no such directory", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Info_on_a_truncated_file_names_it_and_exits_3()
    {
        using var dir = new TempDirectory();
        var source = Path.Combine(RealData.RequireFashionMnist(), FashionMnistFiles.TrainLabels + ".gz");
        foreach (var name in FashionMnistFiles.Names)
            File.Copy(Path.Combine(RealData.FashionMnistDirectory, name + ".gz"), dir.File(name + ".gz"));
        var bytes = File.ReadAllBytes(source);
        File.WriteAllBytes(dir.File(FashionMnistFiles.TrainLabels + ".gz"), bytes[..(bytes.Length / 2)]);
        var (code, output, _) = CliRunner.Run("data", "info", "--data-dir", dir.Path);
        Assert.Equal(ExitCodes.Data, code);
        Assert.Contains(dir.File(FashionMnistFiles.TrainLabels + ".gz"), output, StringComparison.Ordinal);
        Assert.Contains("truncated", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_option_is_a_usage_error()
    {
        var (code, _, error) = CliRunner.Run("data", "info", "--no-such-option");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--no-such-option", error, StringComparison.Ordinal);
    }
}
