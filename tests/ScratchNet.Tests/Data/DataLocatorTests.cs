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
    public void Ames_search_order_ends_with_the_shared_folder_beside_the_repository()
    {
        var locator = new DataLocator(null, null, "/cwd", "/repo");
        Assert.Equal(["/cwd/data", "/cwd/data/ames", "/repo/../shared/datasets/ames", "/cwd/../shared/datasets/ames"],
            locator.AmesCandidates());
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
        Assert.Contains("--data-dir /no/such/folder", error.Message, StringComparison.Ordinal);
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
