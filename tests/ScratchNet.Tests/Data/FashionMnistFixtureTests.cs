using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ScratchNet.Data;
using ScratchNet.Randomness;

namespace ScratchNet.Tests.Data;

/// <summary>Fashion-MNIST loading on small files built in code (the real files are tested in FashionMnistRealDataTests).</summary>
public class FashionMnistFixtureTests
{
    private const int TrainCount = FashionMnist.DevCount + 12;
    private const int TestCount = 5;

    /// <summary>Writes the four files (gzip for the training pair, raw for t10k); pixel bytes encode the row.</summary>
    private static void WriteFixture(string directory, int trainCount = TrainCount, byte badLabel = 0, int rows = 28, int? labelCount = null)
    {
        var trainPixels = new byte[trainCount * rows * 28];
        for (var i = 0; i < trainCount; i++)
            trainPixels.AsSpan(i * rows * 28, rows * 28).Fill((byte)(i % 251));
        var trainLabels = Enumerable.Range(0, labelCount ?? trainCount).Select(i => (byte)(i % 10)).ToArray();
        if (badLabel != 0)
            trainLabels[3] = badLabel;
        File.WriteAllBytes(Path.Combine(directory, FashionMnistFiles.TrainImages + ".gz"), DataFixtures.Gzip(DataFixtures.Idx([trainCount, rows, 28], trainPixels)));
        File.WriteAllBytes(Path.Combine(directory, FashionMnistFiles.TrainLabels + ".gz"), DataFixtures.Gzip(DataFixtures.Idx([trainLabels.Length], trainLabels)));
        File.WriteAllBytes(Path.Combine(directory, FashionMnistFiles.TestImages), DataFixtures.Idx([TestCount, 28, 28], DataFixtures.Bytes(TestCount * 784)));
        File.WriteAllBytes(Path.Combine(directory, FashionMnistFiles.TestLabels), DataFixtures.Idx([TestCount], [9, 8, 7, 6, 5]));
    }

    [Fact]
    public void Split_puts_perm_0_to_10000_in_dev_and_the_rest_in_train_in_permutation_order()
    {
        using var dir = new TempDirectory();
        WriteFixture(dir.Path);
        var data = FashionMnist.LoadDirectory(dir.Path, verifyChecksums: false);
        var perm = new NumpyRandomState(42).Permutation(TrainCount);
        Assert.Equal((FashionMnist.DevCount, TrainCount - FashionMnist.DevCount, TestCount), (data.Dev.Count, data.Train.Count, data.Test.Count));
        for (var i = 0; i < data.Dev.Count; i += 997)
        {
            Assert.Equal((byte)(perm[i] % 251), data.Dev.Pixels(i)[0]);
            Assert.Equal((byte)(perm[i] % 10), data.Dev.Label(i));
        }
        for (var i = 0; i < data.Train.Count; i++)
        {
            Assert.Equal((byte)(perm[FashionMnist.DevCount + i] % 251), data.Train.Pixels(i)[783]);
            Assert.Equal((byte)(perm[FashionMnist.DevCount + i] % 10), data.Train.Label(i));
        }
        Assert.Equal(new byte[] { 9, 8, 7, 6, 5 }, data.Test.Labels.ToArray());
        Assert.Equal(4, data.Files.Count);
        Assert.All(data.Files, file => Assert.False(file.Verified));
    }

    [Fact]
    public void The_test_split_alone_equals_the_full_loads_test_split()
    {
        using var dir = new TempDirectory();
        WriteFixture(dir.Path);
        var full = FashionMnist.LoadDirectory(dir.Path, verifyChecksums: false).Test;

        var test = FashionMnist.LoadTestFrom(DataLocator.FromEnvironment(null, fashionMnist: dir.Path), verifyChecksums: false);

        Assert.Equal((full.Count, full.Features, full.Classes), (test.Count, test.Features, test.Classes));
        for (var i = 0; i < test.Count; i++)
        {
            Assert.Equal(full.Pixels(i).ToArray(), test.Pixels(i).ToArray());
            Assert.Equal(full.Label(i), test.Label(i));
        }
    }

    [Fact]
    public void Checksum_mismatch_names_the_file_and_the_fix()
    {
        using var dir = new TempDirectory();
        WriteFixture(dir.Path);
        var error = Assert.Throws<DataException>(() => FashionMnist.LoadDirectory(dir.Path));
        Assert.Contains(FashionMnistFiles.TrainLabels, error.Message, StringComparison.Ordinal);
        Assert.Contains(FashionMnistFiles.Sha256[FashionMnistFiles.TrainLabels], error.Message, StringComparison.Ordinal);
        Assert.Contains("dataset-fashion-mnist", error.Message, StringComparison.Ordinal);
        Assert.Contains("scratchnet data fetch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        using var dir = new TempDirectory();
        WriteFixture(dir.Path);
        File.Delete(Path.Combine(dir.Path, FashionMnistFiles.TestLabels));
        var error = Assert.Throws<DataException>(() => FashionMnist.LoadDirectory(dir.Path, verifyChecksums: false));
        Assert.Contains(FashionMnistFiles.TestLabels, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_label_outside_0_to_9_is_an_error()
    {
        using var dir = new TempDirectory();
        WriteFixture(dir.Path, badLabel: 10);
        var error = Assert.Throws<DataException>(() => FashionMnist.LoadDirectory(dir.Path, verifyChecksums: false));
        Assert.Contains("label 3 is 10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Images_that_are_not_28_by_28_are_an_error()
    {
        using var dir = new TempDirectory();
        WriteFixture(dir.Path, rows: 27);
        var error = Assert.Throws<DataException>(() => FashionMnist.LoadDirectory(dir.Path, verifyChecksums: false));
        Assert.Contains("27x28", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_and_image_counts_must_agree()
    {
        using var dir = new TempDirectory();
        WriteFixture(dir.Path, labelCount: TrainCount - 1);
        var error = Assert.Throws<DataException>(() => FashionMnist.LoadDirectory(dir.Path, verifyChecksums: false));
        Assert.Contains($"{TrainCount - 1} labels, expected {TrainCount}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_few_training_examples_for_the_split_is_an_error()
    {
        using var dir = new TempDirectory();
        WriteFixture(dir.Path, trainCount: 100);
        var error = Assert.Throws<DataException>(() => FashionMnist.LoadDirectory(dir.Path, verifyChecksums: false));
        Assert.Contains("more than 10000", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The in-place permutation against its naive twin: a fresh array filled row by row.</summary>
    [Property(MaxTest = 100)]
    public Property In_place_row_permutation_equals_the_naive_gather(PositiveInt rows, PositiveInt rowLength, int seed)
    {
        var (n, length) = (rows.Get % 60 + 1, rowLength.Get % 5 + 1);
        var original = DataFixtures.Bytes(n * length, seed);
        var permutation = new NumpyRandomState((uint)seed).Permutation(n);
        var naive = new byte[original.Length];
        for (var i = 0; i < n; i++)
            original.AsSpan(permutation[i] * length, length).CopyTo(naive.AsSpan(i * length));
        var inPlace = original.ToArray();
        FashionMnist.PermuteRowsInPlace(inPlace, length, permutation);
        return inPlace.SequenceEqual(naive).ToProperty();
    }

    [Fact]
    public void In_place_permutation_rejects_a_non_permutation()
    {
        Assert.Throws<ArgumentException>(() => FashionMnist.PermuteRowsInPlace(new byte[3], 1, [0, 0, 1]));
        Assert.Throws<ArgumentException>(() => FashionMnist.PermuteRowsInPlace(new byte[3], 1, [0, 1, 3]));
    }
}
