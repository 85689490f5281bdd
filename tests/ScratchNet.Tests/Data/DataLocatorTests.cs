using ScratchNet.Data;

namespace ScratchNet.Tests.Data;

public class DataLocatorTests
{
    [Fact]
    public void Fashion_mnist_search_order_is_env_then_local_data_then_the_system_folder()
    {
        var locator = new DataLocator(null, "/env", "/cwd", "/repo");
        Assert.Equal(["/env", "/env/fashion-mnist", "/cwd/data", "/cwd/data/fashion-mnist", "/usr/share/datasets/fashion-mnist"],
            locator.FashionMnistCandidates());
    }

    [Fact]
    public void Ames_search_order_ends_with_the_repositorys_bundled_data()
    {
        var locator = new DataLocator(null, "/env", "/cwd", "/repo");
        Assert.Equal(["/env", "/env/ames", "/cwd/data", "/cwd/data/ames", "/repo/data/ames"], locator.AmesCandidates());
        // Run from the repository root, the bundled folder is ./data/ames itself: listed once.
        Assert.Equal(["/repo/data", "/repo/data/ames"], (locator with { EnvironmentDataDir = null, CurrentDirectory = "/repo" }).AmesCandidates());
    }

    [Fact]
    public void The_repository_is_found_above_the_program_without_SCRATCHNET_HOME()
    {
        // The test assembly lives under the repository (tests/…/bin/…), as artifacts/cli/ScratchNet.Cli.dll does.
        using var cwd = new TempDirectory();
        var locator = new DataLocator(null, null, cwd.Path, null) { ProgramDirectory = AppContext.BaseDirectory };
        Assert.Equal([TestPaths.RepoRoot], locator.RepositoryRoots());
        Assert.Equal(Path.Combine(TestPaths.RepoRoot, "data", "ames"), locator.AmesCandidates()[^1]);
        Assert.Equal(RealData.AmesCsv, AmesHousing.LoadFrom(locator).Source);
        // Nothing above a folder outside the repository: no bundled data is claimed.
        Assert.Empty((locator with { ProgramDirectory = cwd.Path }).RepositoryRoots());
    }

    [Fact]
    public void Per_data_set_paths_win_over_data_dir()
    {
        var locator = new DataLocator("/mine", "/env", "/cwd", "/repo") { FashionMnistPath = "/fm", AmesPath = "/am" };
        Assert.Equal(["/fm"], locator.FashionMnistCandidates());
        Assert.Equal(["/am"], locator.AmesCandidates());
        Assert.Equal(["/mine", "/mine/ames"], (locator with { AmesPath = null }).AmesCandidates());
        var error = Assert.Throws<DataException>(() => FashionMnist.LoadFrom(locator with { FashionMnistPath = "/no/such/fm" }));
        Assert.StartsWith("The Fashion-MNIST folder /no/such/fm: no such directory", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("{FashionMnist} /no/such/fm: no such directory", error.Template, StringComparison.Ordinal); // the CLI names its flag
    }

    [Fact]
    public void An_explicit_data_dir_is_the_only_place_searched()
    {
        var locator = new DataLocator("/mine", "/env", "/cwd", "/repo");
        Assert.Equal(["/mine", "/mine/fashion-mnist"], locator.FashionMnistCandidates());
        Assert.Equal(["/mine", "/mine/ames"], locator.AmesCandidates());
    }

    [Fact]
    public void A_nonexistent_data_dir_is_a_data_error_naming_it()
    {
        var locator = new DataLocator("/no/such/folder", null, "/cwd", null);
        var error = Assert.Throws<DataException>(() => FashionMnist.LoadFrom(locator));
        Assert.Contains("The data folder /no/such/folder", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("{DataDir} /no/such/folder", error.Template, StringComparison.Ordinal); // the CLI names its flag
    }

    [Fact]
    public void Finds_the_subfolder_of_the_environment_folder_and_says_what_to_install_when_absent()
    {
        using var env = new TempDirectory();
        using var cwd = new TempDirectory();
        var locator = new DataLocator(null, env.Path, cwd.Path, null);
        Directory.CreateDirectory(env.File("ames"));
        File.WriteAllText(env.File("ames/AmesHousing.csv"), "x");
        Assert.Equal(env.File("ames"), locator.Locate("Ames", locator.AmesCandidates(), d => File.Exists(Path.Combine(d, "AmesHousing.csv")), "install"));
        var error = Assert.Throws<DataException>(() => locator.Locate("Thing", [cwd.File("a")], _ => false, "put it somewhere"));
        Assert.Contains("Thing not found", error.Message, StringComparison.Ordinal);
        Assert.Contains(cwd.File("a"), error.Message, StringComparison.Ordinal);
        Assert.EndsWith("put it somewhere.", error.Message, StringComparison.Ordinal);
    }
}
