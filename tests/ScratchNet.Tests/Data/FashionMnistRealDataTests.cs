using ScratchNet.Data;

namespace ScratchNet.Tests.Data;

/// <summary>Loads the installed Fashion-MNIST once, verified, for the whole class.</summary>
public sealed class FashionMnistFixture
{
    public FashionMnistFixture()
    {
        var directory = RealData.RequireFashionMnist();
        Data = FashionMnist.LoadDirectory(directory);
        RawTrain = IdxReader.Read(FashionMnistFiles.Find(directory, FashionMnistFiles.TrainImages)!, 3);
        RawLabels = IdxReader.Read(FashionMnistFiles.Find(directory, FashionMnistFiles.TrainLabels)!, 1);
    }

    public FashionMnist Data { get; }
    /// <summary>The training file in file order (a second copy, for the tests only).</summary>
    public IdxArray RawTrain { get; }
    public IdxArray RawLabels { get; }
}

public class FashionMnistRealDataTests(FashionMnistFixture fixture) : IClassFixture<FashionMnistFixture>
{
    // Generated with numpy 1.24 (Debian python3-numpy):
    //   /usr/bin/python3 -c "import numpy as np; p=np.random.RandomState(42).permutation(60000); print(p[:10], p[10000:10010], p[-1])"
    private static readonly int[] PermutationHead = [12628, 37730, 39991, 8525, 8279, 51012, 14871, 15127, 9366, 33322];
    private static readonly int[] PermutationAt10000 = [11210, 17024, 43389, 30050, 34665, 17721, 37144, 21765, 14682, 2531];
    private const int PermutationLast = 56422;

    // Generated with numpy: labels = the training label file; print(np.bincount(labels[p[:10000]]))
    private static readonly int[] DevClassCounts = [1009, 1002, 997, 1008, 997, 1015, 1016, 947, 1001, 1008];

    // REFERENCE.md: SHA-256 of the decompressed files.
    private static readonly Dictionary<string, string> ReferenceSha256 = new(StringComparer.Ordinal)
    {
        ["train-images-idx3-ubyte"] = "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        ["train-labels-idx1-ubyte"] = "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        ["t10k-images-idx3-ubyte"] = "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        ["t10k-labels-idx1-ubyte"] = "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    };

    [Fact]
    public void Split_sizes_are_50000_10000_10000_of_784_pixels()
    {
        var data = fixture.Data;
        Assert.Equal((50_000, 10_000, 10_000), (data.Train.Count, data.Dev.Count, data.Test.Count));
        Assert.All(new[] { data.Train, data.Dev, data.Test }, set => Assert.Equal(784, set.Features));
    }

    [Fact]
    public void All_four_checksums_match_the_reference()
    {
        Assert.Equal(4, fixture.Data.Files.Count);
        foreach (var file in fixture.Data.Files)
        {
            var name = Path.GetFileName(file.Path).Replace(".gz", "", StringComparison.Ordinal);
            Assert.True(file.Verified);
            Assert.Equal(ReferenceSha256[name], file.Sha256);
            Assert.Equal(file.Sha256, fixture.Data.Checksums[Path.GetFileName(file.Path)]);
        }
    }

    [Fact]
    public void First_training_label_in_the_file_is_9()
    {
        Assert.Equal(9, fixture.RawLabels.Data[0]);
        Assert.Equal([60_000, 28, 28], fixture.RawTrain.Dimensions);
    }

    [Fact]
    public void Split_permutation_matches_numpy()
    {
        var permutation = FashionMnist.SplitPermutation(60_000);
        Assert.Equal(PermutationHead, permutation[..10]);
        Assert.Equal(PermutationAt10000, permutation[10_000..10_010]);
        Assert.Equal(PermutationLast, permutation[^1]);
    }

    [Fact]
    public void Dev_and_train_rows_are_the_file_rows_at_numpys_indices()
    {
        var raw = fixture.RawTrain.Data;
        for (var i = 0; i < PermutationHead.Length; i++)
        {
            Assert.True(raw.AsSpan(PermutationHead[i] * 784, 784).SequenceEqual(fixture.Data.Dev.Pixels(i)), $"dev row {i}");
            Assert.Equal(fixture.RawLabels.Data[PermutationHead[i]], fixture.Data.Dev.Label(i));
            Assert.True(raw.AsSpan(PermutationAt10000[i] * 784, 784).SequenceEqual(fixture.Data.Train.Pixels(i)), $"train row {i}");
        }
        Assert.True(raw.AsSpan(PermutationLast * 784, 784).SequenceEqual(fixture.Data.Train.Pixels(49_999)));
    }

    [Fact]
    public void Class_balance_matches_numpy()
    {
        Assert.Equal(DevClassCounts, fixture.Data.Dev.ClassCounts());
        var train = fixture.Data.Train.ClassCounts();
        Assert.Equal(DevClassCounts.Select(dev => 6000 - dev), train);
        Assert.All(fixture.Data.Test.ClassCounts(), count => Assert.Equal(1000, count));
    }
}
