using ScratchNet.Data;

namespace ScratchNet.Tests.Data;

/// <summary>Where the real data sets live for the tests; a missing one fails the test with what to install.</summary>
internal static class RealData
{
    public const string FashionMnistDirectory = FashionMnistFiles.SystemDirectory;

    /// <summary>The repository's bundled Ames folder: data/ames (AmesHousing.csv.gz).</summary>
    public static string AmesDirectory { get; } = Path.Combine(TestPaths.RepoRoot, "data", "ames");

    /// <summary>The bundled De Cock CSV, gzip-compressed, as committed.</summary>
    public static string AmesCsv { get; } = Path.Combine(AmesDirectory, "AmesHousing.csv.gz");

    public static string RequireFashionMnist()
    {
        if (FashionMnistFiles.Find(FashionMnistDirectory, FashionMnistFiles.TrainImages) is null)
            Assert.Fail($"Fashion-MNIST is not installed in {FashionMnistDirectory}: run 'sudo apt-get install -y dataset-fashion-mnist' (or ./test.sh, which installs it).");
        return FashionMnistDirectory;
    }

    /// <summary>The bundled data/ames folder; fails the test when its AmesHousing.csv.gz is missing.</summary>
    public static string RequireAmes()
    {
        if (!File.Exists(AmesCsv))
            Assert.Fail($"{AmesCsv} is missing: it is committed with the repository; restore it with 'git checkout -- data/ames'.");
        return AmesDirectory;
    }
}
