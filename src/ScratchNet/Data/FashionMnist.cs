using ScratchNet.Randomness;

namespace ScratchNet.Data;

/// <summary>
/// Fashion-MNIST split exactly as the course split it: <c>perm = RandomState(42).permutation(60000)</c> over the
/// training file, dev = rows <c>perm[0:10000]</c>, train = rows <c>perm[10000:60000]</c> (both in permutation order),
/// test = the t10k file. Pixels stay bytes; see <see cref="LabeledImages.PixelScale"/>.
/// </summary>
/// <param name="Train">50,000 training examples (rows perm[10000:60000] of the training file).</param>
/// <param name="Dev">10,000 development examples (rows perm[0:10000]).</param>
/// <param name="Test">The 10,000 t10k examples, in file order.</param>
/// <param name="Directory">The folder the four files were read from.</param>
public sealed record FashionMnist(LabeledImages Train, LabeledImages Dev, LabeledImages Test, string Directory)
{
    public const int ImageSide = 28;
    public const int Features = ImageSide * ImageSide;
    public const int Classes = 10;
    public const uint SplitSeed = 42;
    public const int DevCount = 10_000;

    /// <summary>The four files as read, with the SHA-256 of their decompressed content.</summary>
    public IReadOnlyList<DataFile> Files { get; init; } = [];

    /// <summary>File name → SHA-256 of its decompressed content, for run manifests.</summary>
    public IReadOnlyDictionary<string, string> Checksums =>
        Files.ToDictionary(file => System.IO.Path.GetFileName(file.Path), file => file.Sha256, StringComparer.Ordinal);

    /// <summary>Finds the files (see <see cref="DataLocator"/>), reads, verifies and splits them.</summary>
    public static FashionMnist Load(string? dataDir = null, bool verifyChecksums = true) =>
        LoadFrom(DataLocator.FromEnvironment(dataDir), verifyChecksums);

    public static FashionMnist LoadFrom(DataLocator locator, bool verifyChecksums = true) =>
        LoadDirectory(Locate(locator), verifyChecksums);

    /// <summary>
    /// Only the test split (the t10k files, 7.8 MB), found as <see cref="LoadFrom"/> finds the four files: for readers that
    /// show test images and need not hold the 47 MB training file (reproduce's report).
    /// </summary>
    public static LabeledImages LoadTestFrom(DataLocator locator, bool verifyChecksums = true)
    {
        var (pixels, labels) = ReadPair(Locate(locator), FashionMnistFiles.TestImages, FashionMnistFiles.TestLabels, verifyChecksums, []);
        return new LabeledImages(pixels, labels, Features, Classes);
    }

    private static string Locate(DataLocator locator)
    {
        ArgumentNullException.ThrowIfNull(locator);
        return locator.Locate("Fashion-MNIST", locator.FashionMnistCandidates(),
            dir => FashionMnistFiles.Names.Any(name => FashionMnistFiles.Find(dir, name) is not null),
            $"install it with 'sudo apt-get install {FashionMnistFiles.DebianPackage}', download it with './scratchnet data fetch', " +
            $"or pass {{FashionMnist}} (or {{DataDir}}): a folder holding {FashionMnistFiles.TrainImages}[.gz] and the other three files");
    }

    /// <summary>Reads the four files from <paramref name="directory"/> (each raw or .gz) and splits them.</summary>
    public static FashionMnist LoadDirectory(string directory, bool verifyChecksums = true)
    {
        var files = new List<DataFile>();
        var (trainPixels, trainLabels) = ReadPair(directory, FashionMnistFiles.TrainImages, FashionMnistFiles.TrainLabels, verifyChecksums, files);
        var (testPixels, testLabels) = ReadPair(directory, FashionMnistFiles.TestImages, FashionMnistFiles.TestLabels, verifyChecksums, files);
        var count = trainLabels.Length;
        if (count <= DevCount)
            throw new DataException($"{directory}: {FashionMnistFiles.TrainLabels} has {count} examples; the split needs more than {DevCount}. {FashionMnistFiles.Fix}.");

        // Reorder the training file in place into permutation order: dev and train are then views, not copies.
        var permutation = SplitPermutation(count);
        PermuteRowsInPlace(trainPixels, Features, permutation);
        PermuteRowsInPlace(trainLabels, 1, permutation);
        var permuted = new LabeledImages(trainPixels, trainLabels, Features, Classes);
        return new FashionMnist(
            permuted.Slice(DevCount, count - DevCount),
            permuted.Slice(0, DevCount),
            new LabeledImages(testPixels, testLabels, Features, Classes),
            Path.GetFullPath(directory))
        { Files = files };
    }

    /// <summary>The course's split permutation: numpy <c>RandomState(42).permutation(count)</c>.</summary>
    public static int[] SplitPermutation(int count) => new NumpyRandomState(SplitSeed).Permutation(count);

    /// <summary>Row i of the result is row <c>permutation[i]</c> of the input (cycle-following, one spare row).</summary>
    internal static void PermuteRowsInPlace(Span<byte> rows, int rowLength, ReadOnlySpan<int> permutation)
    {
        ThrowHelper.IfLengthNot(rows.Length, (long)permutation.Length * rowLength, nameof(rows));
        var placed = new bool[permutation.Length];
        foreach (var target in permutation)
        {
            if ((uint)target >= (uint)permutation.Length || placed[target])
                throw new ArgumentException($"not a permutation of 0..{permutation.Length - 1}: {target} is out of range or repeated.", nameof(permutation));
            placed[target] = true;
        }
        Array.Clear(placed);
        var spare = new byte[rowLength];
        for (var start = 0; start < permutation.Length; start++)
        {
            if (placed[start])
                continue;
            rows.Slice(start * rowLength, rowLength).CopyTo(spare);
            var row = start;
            while (true)
            {
                placed[row] = true;
                var source = permutation[row];
                if (source == start)
                {
                    spare.CopyTo(rows.Slice(row * rowLength, rowLength));
                    break;
                }
                rows.Slice(source * rowLength, rowLength).CopyTo(rows.Slice(row * rowLength, rowLength));
                row = source;
            }
        }
    }

    private static (byte[] Pixels, byte[] Labels) ReadPair(string directory, string imagesName, string labelsName, bool verify, List<DataFile> files)
    {
        var labels = ReadFile(directory, labelsName, 1, verify, files);
        var images = ReadFile(directory, imagesName, 3, verify, files);
        var (count, rows, columns) = (images.Dimensions[0], images.Dimensions[1], images.Dimensions[2]);
        if (rows != ImageSide || columns != ImageSide)
            throw new DataException($"{images.Path}: images are {rows}x{columns}, expected {ImageSide}x{ImageSide}; {FashionMnistFiles.Fix}.");
        if (labels.Dimensions[0] != count)
            throw new DataException($"{labels.Path}: {labels.Dimensions[0]} labels, expected {count} (one per image in {images.Path}); {FashionMnistFiles.Fix}.");
        var bad = labels.Data.AsSpan().IndexOfAnyInRange((byte)Classes, byte.MaxValue);
        if (bad >= 0)
            throw new DataException($"{labels.Path}: label {bad} is {labels.Data[bad]}, expected 0..{Classes - 1}; {FashionMnistFiles.Fix}.");
        return (images.Data, labels.Data);
    }

    private static IdxArray ReadFile(string directory, string name, int dimensions, bool verify, List<DataFile> files)
    {
        var path = FashionMnistFiles.Find(directory, name)
            ?? throw new DataException($"{Path.Combine(directory, name)}[.gz]: missing (the folder has other Fashion-MNIST files); {FashionMnistFiles.Fix}.");
        var array = IdxReader.Read(path, dimensions, FashionMnistFiles.Fix);
        var expected = FashionMnistFiles.Sha256[name];
        if (verify && !string.Equals(array.Sha256, expected, StringComparison.Ordinal))
            throw new DataException($"{path}: SHA-256 of the content is {array.Sha256}, expected {expected}: the file is not the original {name}; {FashionMnistFiles.Fix}.");
        files.Add(new DataFile(path, array.Sha256, verify));
        return array;
    }
}
