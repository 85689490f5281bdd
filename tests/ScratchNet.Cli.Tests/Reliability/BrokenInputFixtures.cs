using System.Globalization;
using System.Text;
using ScratchNet.Data;
using ScratchNet.IO;
using ScratchNet.Runs;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.Reliability;

/// <summary>
/// Builds the inputs of the broken-input table: valid fixtures (tiny ames.npz, AmesHousing.csv, a finished run folder)
/// written in code, which the cases then break, plus the commands a user would type on them.
/// </summary>
internal static class BrokenInputFixtures
{
    public const int AmesTrainRows = 8;
    public const int AmesTestRows = 4;
    public const int AmesFeatures = 3;

    // ---- Fashion-MNIST ----

    /// <summary>
    /// A Fashion-MNIST folder whose file <paramref name="brokenName"/> holds <paramref name="content"/> and whose other
    /// files link to the real ones: the CLI verifies every file's SHA-256 as it reads it, so only the broken one may differ.
    /// </summary>
    public static string FashionFolder(TempDirectory dir, string brokenName, byte[] content)
    {
        var folder = dir.File("fashion");
        Directory.CreateDirectory(folder);
        var real = RealData.RequireFashionMnist();
        foreach (var name in FashionMnistFiles.Names.Where(n => !brokenName.StartsWith(n, StringComparison.Ordinal)))
        {
            var source = FashionMnistFiles.Find(real, name)!;
            File.CreateSymbolicLink(Path.Combine(folder, Path.GetFileName(source)), source);
        }
        File.WriteAllBytes(Path.Combine(folder, brokenName), content);
        return folder;
    }

    /// <summary>A structurally valid Fashion-MNIST folder of <paramref name="train"/> + <paramref name="test"/> tiny examples (raw IDX).</summary>
    public static string SmallFashionFolder(TempDirectory dir, int train = 30, int test = 10, int side = FashionMnist.ImageSide,
        Func<byte[], byte[]>? trainLabels = null, int? trainLabelCount = null)
    {
        var folder = dir.File("small-fashion");
        Directory.CreateDirectory(folder);
        void Pair(string images, string labels, int count, Func<byte[], byte[]>? breakLabels, int labelCount)
        {
            File.WriteAllBytes(Path.Combine(folder, images), DataFixtures.Idx([count, side, side], DataFixtures.Bytes(count * side * side, seed: count)));
            var labelBytes = (breakLabels ?? (b => b))(DataFixtures.Bytes(labelCount, seed: 7, modulo: FashionMnist.Classes));
            File.WriteAllBytes(Path.Combine(folder, labels), DataFixtures.Idx([labelBytes.Length], labelBytes));
        }
        Pair(FashionMnistFiles.TrainImages, FashionMnistFiles.TrainLabels, train, trainLabels, trainLabelCount ?? train);
        Pair(FashionMnistFiles.TestImages, FashionMnistFiles.TestLabels, test, null, test);
        return folder;
    }

    /// <summary>A valid train-labels file (60000 labels), the first Fashion-MNIST file the loader reads.</summary>
    public static byte[] Labels(int count = 60_000) => DataFixtures.Idx([count], DataFixtures.Bytes(count, modulo: FashionMnist.Classes));

    public static string[] Classify(string dataDir, TempDirectory dir, params string[] options) =>
        ["classify", "logistic", "--epochs", "1", "--data-dir", dataDir, "--out", dir.File("run"), .. options];

    // ---- Ames: ames.npz ----

    /// <summary>The four arrays of a tiny, valid ames.npz (8 train and 4 test rows of 3 features).</summary>
    public static Dictionary<string, byte[]> AmesArrays() => new(StringComparer.Ordinal)
    {
        ["Xtrain.npy"] = DataFixtures.NpyDoubles([AmesTrainRows, AmesFeatures], Values(AmesTrainRows * AmesFeatures, 1)),
        ["ytrain.npy"] = DataFixtures.NpyDoubles([AmesTrainRows], Values(AmesTrainRows, 2)),
        ["Xtest.npy"] = DataFixtures.NpyDoubles([AmesTestRows, AmesFeatures], Values(AmesTestRows * AmesFeatures, 3)),
        ["ytest.npy"] = DataFixtures.NpyDoubles([AmesTestRows], Values(AmesTestRows, 4)),
    };

    /// <summary>An Ames folder holding ames.npz built from <see cref="AmesArrays"/> changed by <paramref name="change"/>.</summary>
    public static string AmesNpzFolder(TempDirectory dir, Action<Dictionary<string, byte[]>>? change = null)
    {
        var arrays = AmesArrays();
        change?.Invoke(arrays);
        return AmesFolder(dir, AmesHousing.NpzName, DataFixtures.Npz([.. arrays.Select(a => (a.Key, a.Value))]));
    }

    public static string AmesFolder(TempDirectory dir, string fileName, byte[] content)
    {
        var folder = dir.File("ames");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, fileName), content);
        return folder;
    }

    /// <summary>An NPY array of 8 bytes per element with any header dict (dtype, order, shape as the case needs).</summary>
    public static byte[] NpyWithHeader(string descr, string shape, int elements, bool fortran = false) =>
        DataFixtures.Npy($"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}", new byte[elements * 8]);

    public static string[] Regress(string dataDir, TempDirectory dir, params string[] options) =>
        ["regress", "linear", "--epochs", "1", "--data-dir", dataDir, "--out", dir.File("run"), .. options];

    private static double[] Values(int count, int seed) =>
        [.. Enumerable.Range(0, count).Select(i => ((i * 37 + seed * 11) % 17) / 8.0 - 1)];

    // ---- Ames: AmesHousing.csv ----

    /// <summary>A valid AmesHousing.csv table: every required column, 4 rows (first line the header).</summary>
    public static List<List<string>> AmesCsvTable()
    {
        var header = new List<string> { "Order", AmesSchema.Id };
        header.AddRange(AmesSchema.NumericFeatures);
        header.AddRange(AmesSchema.Categorical);
        header.Add(AmesSchema.Target);
        var table = new List<List<string>> { header };
        for (var row = 0; row < 4; row++)
        {
            var cells = new List<string> { (row + 1).ToString(CultureInfo.InvariantCulture), (100 + row).ToString(CultureInfo.InvariantCulture) };
            cells.AddRange(AmesSchema.NumericFeatures.Select((_, j) => ((row * 3 + j) % 7).ToString(CultureInfo.InvariantCulture)));
            cells.AddRange(AmesSchema.Categorical.Select((_, j) => (row + j) % 2 == 0 ? "a" : "b"));
            cells.Add((100_000 + 1000 * row).ToString(CultureInfo.InvariantCulture));
            table.Add(cells);
        }
        return table;
    }

    public static byte[] Csv(IEnumerable<IEnumerable<string>> table) =>
        Encoding.UTF8.GetBytes(string.Concat(table.Select(row => string.Join(',', row) + "\n")));

    /// <summary>An Ames folder holding AmesHousing.csv: the valid table changed by <paramref name="change"/>.</summary>
    public static string AmesCsvFolder(TempDirectory dir, Action<List<List<string>>> change)
    {
        var table = AmesCsvTable();
        change(table);
        return AmesFolder(dir, "AmesHousing.csv", Csv(table));
    }

    public static int Column(List<List<string>> table, string name) => table[0].IndexOf(name);

    // ---- Run folders ----

    /// <summary>A finished one-epoch linear-regression run (tiny ames.npz) in dir/runs/linear, made by the real CLI.</summary>
    public static string FinishedRun(TempDirectory dir)
    {
        var ames = AmesNpzFolder(dir);
        var folder = dir.File(Path.Combine("runs", "linear"));
        var (code, _, error) = CliRunner.Run("regress", "linear", "--epochs", "1", "--data-dir", ames, "--out", folder);
        Assert.True(code == ExitCodes.Ok, $"the fixture run failed: {error}");
        return folder;
    }

    /// <summary>The command that resumes <see cref="FinishedRun"/> for one more epoch (same options).</summary>
    public static string[] ResumeRun(TempDirectory dir, params string[] options) =>
        ["regress", "linear", "--extend-to", "2", "--resume", "--data-dir", dir.File("ames"), "--out", dir.File(Path.Combine("runs", "linear")), .. options];

    public static string Checkpoint(string run) => Path.Combine(run, RunFolder.CheckpointFile);

    /// <summary>Rewrites the run's checkpoint with its tensors and metadata changed (the resume hash stays valid).</summary>
    public static void RewriteCheckpoint(string run, Func<IReadOnlyList<SafeTensor>, IReadOnlyList<SafeTensor>>? tensors = null,
        Action<Dictionary<string, string>>? metadata = null)
    {
        var path = Checkpoint(run);
        var bytes = File.ReadAllBytes(path);
        var meta = new Dictionary<string, string>(SafeTensors.ReadMetadata(bytes, path), StringComparer.Ordinal);
        metadata?.Invoke(meta);
        var content = SafeTensors.Parse(bytes, path);
        SafeTensors.Write(path, tensors is null ? content : tensors(content), meta);
    }

    /// <summary>Replaces the tensor <paramref name="name"/> with <paramref name="replacement"/>.</summary>
    public static IReadOnlyList<SafeTensor> Replace(IReadOnlyList<SafeTensor> tensors, string name, Func<SafeTensor, SafeTensor> replacement) =>
        [.. tensors.Select(t => t.Name == name ? replacement(t) : t)];

    public static void ChangeFile(string path, Func<byte[], byte[]> change) => File.WriteAllBytes(path, change(File.ReadAllBytes(path)));

    public static string[] Report(TempDirectory dir, params string[] options) =>
        ["report", "--runs", dir.File("runs"), "--out", dir.File("report"), .. options];
}
