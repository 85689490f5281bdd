using ScratchNet.Data;

namespace ScratchNet.Tests.Data;

public class DataCommandTests
{
    /// <summary>A data folder whose fashion-mnist/ and ames/ subfolders link to the real data.</summary>
    private static TempDirectory LinkedDataFolder()
    {
        var dir = new TempDirectory();
        Directory.CreateSymbolicLink(dir.File("fashion-mnist"), RealData.RequireFashionMnist());
        Directory.CreateSymbolicLink(dir.File("ames"), RealData.RequireAmes());
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
        Assert.Matches(@"7 Sneaker\s+5053\s+947\s+1000", output); // numpy: np.bincount of the split labels (TestData/make_course_constants.py)
        Assert.Contains("train 1465 x 348, test 1465 x 348", output, StringComparison.Ordinal);
        Assert.Contains("y = ln(SalePrice): train [9.4563, 13.3294], test [9.4804, 13.5345]", output, StringComparison.Ordinal);
        Assert.Contains($"Ames Housing: {dir.File("ames/AmesHousing.csv.gz")}", output, StringComparison.Ordinal);
        Assert.Contains($"sha256 {AmesHousing.ReferenceSha256} (decompressed)  ok (matches De Cock's AmesHousing.csv", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Info_from_another_working_directory_finds_the_bundled_Ames_and_says_its_checksum_matched()
    {
        using var elsewhere = new TempDirectory();
        // The CLI dll beside the tests is inside the repository: it finds data/ames above itself, whatever the working directory.
        using var cli = Reliability.CliProcess.Run(elsewhere.Path, "data", "info", "--fashion-mnist", RealData.RequireFashionMnist());
        Assert.True(cli.ExitCode == 0, cli.ToString());
        Assert.Contains($"Ames Housing: {RealData.AmesCsv}", cli.Output, StringComparison.Ordinal);
        Assert.Contains("ok (matches De Cock's AmesHousing.csv", cli.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ames_npz_beside_the_csv_is_cross_checked_and_a_different_one_is_a_data_error()
    {
        using var dir = new TempDirectory();
        File.Copy(RealData.AmesCsv, dir.File("AmesHousing.csv.gz"));
        // A course-shaped npz whose arrays are the pipeline's own, one value changed: the cross-check must catch it.
        var ames = AmesHousing.LoadCsv(RealData.AmesCsv);
        var x = ames.Test.AllFeatures.ToArray();
        x[(7 * ames.Test.FeatureCount) + 3] += 1e-12;
        File.WriteAllBytes(dir.File("ames.npz"), DataFixtures.Npz(
            ("Xtrain.npy", DataFixtures.NpyDoubles([ames.Train.Count, ames.Train.FeatureCount], ames.Train.AllFeatures.ToArray())),
            ("ytrain.npy", DataFixtures.NpyDoubles([ames.Train.Count, 1], ames.Train.Targets.ToArray())),
            ("Xtest.npy", DataFixtures.NpyDoubles([ames.Test.Count, ames.Test.FeatureCount], x)),
            ("ytest.npy", DataFixtures.NpyDoubles([ames.Test.Count, 1], ames.Test.Targets.ToArray()))));
        var (code, output, _) = CliRunner.Run("data", "info", "--ames", dir.Path);
        Assert.Equal(ExitCodes.Data, code);
        Assert.Contains($"{dir.File("ames.npz")}: differs from what the CSV pipeline builds from {dir.File("AmesHousing.csv.gz")} (test: X[7, 3]", output, StringComparison.Ordinal);

        x[(7 * ames.Test.FeatureCount) + 3] -= 1e-12;
        Assert.Equal(ames.Test.AllFeatures[(7 * ames.Test.FeatureCount) + 3], x[(7 * ames.Test.FeatureCount) + 3]);
        File.WriteAllBytes(dir.File("ames.npz"), DataFixtures.Npz(
            ("Xtrain.npy", DataFixtures.NpyDoubles([ames.Train.Count, ames.Train.FeatureCount], ames.Train.AllFeatures.ToArray())),
            ("ytrain.npy", DataFixtures.NpyDoubles([ames.Train.Count, 1], ames.Train.Targets.ToArray())),
            ("Xtest.npy", DataFixtures.NpyDoubles([ames.Test.Count, ames.Test.FeatureCount], ames.Test.AllFeatures.ToArray())),
            ("ytest.npy", DataFixtures.NpyDoubles([ames.Test.Count, 1], ames.Test.Targets.ToArray()))));
        (code, output, _) = CliRunner.Run("data", "info", "--ames", dir.Path);
        Assert.Contains($"{dir.File("ames.npz")}: cross-checked, bit-identical to the pipeline's matrices", output, StringComparison.Ordinal);
        Assert.Equal(AmesHousing.ReferenceSha256, AmesHousing.LoadFrom(new DataLocator(null, null, dir.Path, null) { AmesPath = dir.Path }).Sha256);
    }

    [Fact]
    public void Ames_can_be_given_as_a_file_and_a_missing_one_is_named()
    {
        var (code, output, _) = CliRunner.Run("data", "info", "--ames", RealData.AmesCsv, "--fashion-mnist", RealData.RequireFashionMnist());
        Assert.True(code == 0, output);
        Assert.Contains($"Ames Housing: {RealData.AmesCsv}", output, StringComparison.Ordinal);
        (code, output, _) = CliRunner.Run("data", "info", "--ames", "/no/such/AmesHousing.csv");
        Assert.Equal(ExitCodes.Data, code);
        Assert.Contains("--ames /no/such/AmesHousing.csv: no such file or directory", output, StringComparison.Ordinal);
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
        Assert.Contains("data/ames/AmesHousing.csv.gz", output, StringComparison.Ordinal);
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
