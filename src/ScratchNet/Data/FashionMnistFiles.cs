using System.Collections.Frozen;

namespace ScratchNet.Data;

/// <summary>The four Fashion-MNIST files, their reference checksums and where they come from.</summary>
public static class FashionMnistFiles
{
    public const string TrainImages = "train-images-idx3-ubyte";
    public const string TrainLabels = "train-labels-idx1-ubyte";
    public const string TestImages = "t10k-images-idx3-ubyte";
    public const string TestLabels = "t10k-labels-idx1-ubyte";

    public static IReadOnlyList<string> Names { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>SHA-256 of each file's decompressed content (REFERENCE.md).</summary>
    public static FrozenDictionary<string, string> Sha256 { get; } = new Dictionary<string, string>
    {
        [TrainImages] = "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        [TrainLabels] = "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        [TestImages] = "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        [TestLabels] = "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The public source of the gzip files (the zalandoresearch GitHub repository).</summary>
    public const string DownloadBaseUrl = "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/";

    /// <summary>The Debian package that installs the files into <see cref="SystemDirectory"/>.</summary>
    public const string DebianPackage = "dataset-fashion-mnist";
    public const string SystemDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>What to do when the files are missing or bad; ends the error messages.</summary>
    public const string Fix = "reinstall it (sudo apt-get install --reinstall " + DebianPackage + ") or download it with ./scratchnet data fetch";

    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The file for <paramref name="name"/> in <paramref name="directory"/>: raw if present, else .gz, else null.</summary>
    public static string? Find(string directory, string name)
    {
        var raw = Path.Combine(directory, name);
        if (File.Exists(raw))
            return raw;
        var gz = raw + ".gz";
        return File.Exists(gz) ? gz : null;
    }
}
