using ScratchNet.Data;

namespace ScratchNet.Tests.Data;

/// <summary>Where the real data sets live for the tests; a missing one fails the test with what to install.</summary>
internal static class RealData
{
    public const string FashionMnistDirectory = FashionMnistFiles.SystemDirectory;

    /// <summary>The repository's sibling shared folder: ../shared/datasets/ames.</summary>
    public static string AmesDirectory { get; } = Path.GetFullPath(Path.Combine(TestPaths.RepoRoot, "..", "shared", "datasets", "ames"));

    public static string RequireFashionMnist()
    {
        if (FashionMnistFiles.Find(FashionMnistDirectory, FashionMnistFiles.TrainImages) is null)
            Assert.Fail($"Fashion-MNIST is not installed in {FashionMnistDirectory}: run 'sudo apt-get install -y dataset-fashion-mnist' (or ./test.sh, which installs it).");
        return FashionMnistDirectory;
    }

    public static string RequireAmes(string name)
    {
        var path = Path.Combine(AmesDirectory, name);
        if (!File.Exists(path))
            Assert.Fail($"{path} is missing: the Ames data ({AmesHousing.NpzName}, AmesHousing.csv) must be in {AmesDirectory} (the shared/datasets/ames folder beside the repository).");
        return path;
    }
}
