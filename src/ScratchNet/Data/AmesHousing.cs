using System.Security.Cryptography;
using ScratchNet.IO;

namespace ScratchNet.Data;

/// <summary>
/// The Ames Housing regression data as the course used it: 1465 train and 1465 test rows of 348 features
/// (PID and 36 z-scored numeric columns, then 311 one-hot indicators), y = ln(SalePrice). The linear models append
/// their bias column themselves.
/// </summary>
/// <param name="Train">The first 1465 rows (course order).</param>
/// <param name="Test">The last 1465 rows.</param>
/// <param name="Source">The file the data came from (AmesHousing.csv[.gz] or .txt through the CSV pipeline, or ames.npz).</param>
public sealed record AmesHousing(RegressionSet Train, RegressionSet Test, string Source)
{
    public const string NpzName = "ames.npz";

    /// <summary>The raw data's names, in order of preference (the repository bundles AmesHousing.csv.gz).</summary>
    public static IReadOnlyList<string> CsvNames { get; } = ["AmesHousing.csv", "AmesHousing.csv.gz", "AmesHousing.txt", "AmesHousing.txt.gz"];

    /// <summary>SHA-256 of De Cock's AmesHousing.csv (decompressed), the file bundled in data/ames (data/ames/README.md).</summary>
    public const string ReferenceSha256 = "9be4e178af290abcc41e82402e9eca2bd767f22aa148d155531fed4f7c5b55da";

    /// <summary>What to do when Ames is missing; ends the locator's error message (a <see cref="MessageTerms"/> template).</summary>
    public const string Fix = "the repository bundles it as data/ames/AmesHousing.csv.gz (restore it with 'git checkout -- data/ames'), " +
        "or pass {Ames}: De Cock's AmesHousing.csv[.gz], the course's ames.npz or a folder holding one";

    /// <summary>The SHA-256 of the source file's content, decompressed for .gz (for run manifests).</summary>
    public string Sha256 { get; init; } = "";

    /// <summary>True when the source is De Cock's CSV and its content's SHA-256 equals <see cref="ReferenceSha256"/>.</summary>
    public bool Verified => Sha256 == ReferenceSha256;

    /// <summary>The ames.npz found beside the CSV and checked equal to the pipeline's matrices, or null when none was found.</summary>
    public string? CrossCheckedNpz { get; init; }

    /// <summary>File name → SHA-256, for run manifests.</summary>
    public IReadOnlyDictionary<string, string> Checksums =>
        new Dictionary<string, string>(StringComparer.Ordinal) { [Path.GetFileName(Source)] = Sha256 };

    /// <summary>Column names when built from the CSV ("PID", "Lot Area", "MS Zoning=RL", …); empty for ames.npz.</summary>
    public IReadOnlyList<string> FeatureNames { get; init; } = [];

    public static AmesHousing Load(string? dataDir = null) => LoadFrom(DataLocator.FromEnvironment(dataDir));

    /// <summary>
    /// <c>--ames FILE</c> as given; otherwise the first candidate folder holding AmesHousing.csv[.gz]/.txt or ames.npz.
    /// The CSV is read through the pipeline; an ames.npz beside it is cross-checked against it (a mismatch is a
    /// <see cref="DataException"/>); a folder holding only ames.npz is read from it.
    /// </summary>
    public static AmesHousing LoadFrom(DataLocator locator)
    {
        ArgumentNullException.ThrowIfNull(locator);
        if (locator.AmesPath is { } given && File.Exists(given))
            return LoadFile(given);
        var directory = locator.Locate("Ames Housing", locator.AmesCandidates(), dir => FindCsv(dir) is not null || File.Exists(Path.Combine(dir, NpzName)), Fix);
        var npz = Path.Combine(directory, NpzName);
        if (FindCsv(directory) is not { } csv)
            return LoadNpz(npz);
        var ames = LoadCsv(csv);
        return File.Exists(npz) ? CrossCheck(ames, LoadNpz(npz)) : ames;
    }

    /// <summary>One Ames file: ames.npz by its name, anything else through the CSV pipeline (raw or gzip).</summary>
    public static AmesHousing LoadFile(string path) =>
        path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase) ? LoadNpz(path) : LoadCsv(path);

    /// <summary>
    /// <paramref name="csv"/> marked as cross-checked when <paramref name="npz"/> holds bit-identical matrices;
    /// otherwise a <see cref="DataException"/> naming the first difference.
    /// </summary>
    public static AmesHousing CrossCheck(AmesHousing csv, AmesHousing npz)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(npz);
        foreach (var (part, a, b) in new[] { ("train", csv.Train, npz.Train), ("test", csv.Test, npz.Test) })
        {
            var difference = FirstDifference(a, b);
            if (difference is not null)
                throw new DataException($"{npz.Source}: differs from what the CSV pipeline builds from {csv.Source} ({part}: {difference}); " +
                    $"remove or replace {NpzName} (it is optional: the CSV alone reproduces the course's matrices).");
        }
        return csv with { CrossCheckedNpz = npz.Source };
    }

    private static string? FirstDifference(RegressionSet csv, RegressionSet npz)
    {
        if (csv.Count != npz.Count || csv.FeatureCount != npz.FeatureCount)
            return $"{npz.Count} x {npz.FeatureCount} in the npz, {csv.Count} x {csv.FeatureCount} from the CSV";
        var x = csv.AllFeatures;
        var y = npz.AllFeatures;
        for (var i = 0; i < x.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(x[i]) != BitConverter.DoubleToInt64Bits(y[i]))
                return $"X[{i / csv.FeatureCount}, {i % csv.FeatureCount}] is {y[i]:R} in the npz, {x[i]:R} from the CSV";
        }
        for (var i = 0; i < csv.Count; i++)
        {
            if (BitConverter.DoubleToInt64Bits(csv.Targets[i]) != BitConverter.DoubleToInt64Bits(npz.Targets[i]))
                return $"y[{i}] is {npz.Targets[i]:R} in the npz, {csv.Targets[i]:R} from the CSV";
        }
        return null;
    }

    /// <summary>Reads the course's ames.npz (arrays Xtrain, ytrain, Xtest, ytest).</summary>
    public static AmesHousing LoadNpz(string path)
    {
        var arrays = NpzReader.Read(path);
        var missing = new[] { "Xtrain", "ytrain", "Xtest", "ytest" }.Where(key => !arrays.ContainsKey(key)).ToList();
        if (missing.Count > 0)
            throw new DataException($"{path}: missing array(s) {string.Join(", ", missing)} (found: {string.Join(", ", arrays.Keys)}); use the course's ames.npz.");
        var train = ToSet(path, arrays["Xtrain"], arrays["ytrain"]);
        var test = ToSet(path, arrays["Xtest"], arrays["ytest"]);
        if (train.FeatureCount != test.FeatureCount)
            throw new DataException($"{path}: Xtrain has {train.FeatureCount} columns, Xtest {test.FeatureCount}; they must match. Use the course's ames.npz.");
        return new AmesHousing(train, test, Path.GetFullPath(path)) { Sha256 = HashFile(path) };
    }

    /// <summary>Builds the matrices from De Cock's AmesHousing.csv (or the tab-separated .txt); see docs/data.md.</summary>
    public static AmesHousing LoadCsv(string path)
    {
        try
        {
            return AmesCsvPipeline.Load(path) with { Sha256 = DataHashes.Sha256OfContent(path) };
        }
        catch (InvalidDataException e)
        {
            throw new DataException($"{path}: corrupt or truncated gzip data ({MessageText.Printable(e.Message, 300)}); replace the file ({Fix}).", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"{path}: cannot read ({e.Message}); {Fix}.", e);
        }
    }

    private static string? FindCsv(string directory) =>
        CsvNames.Select(name => Path.Combine(directory, name)).FirstOrDefault(File.Exists);

    private static RegressionSet ToSet(string path, NpyArray x, NpyArray y)
    {
        if (x.Shape.Count != 2)
            throw new DataException($"{path}: {x.Name} has shape {x.ShapeText}, expected 2 dimensions (rows, features); use the course's ames.npz.");
        var (rows, columns) = (x.Shape[0], x.Shape[1]);
        var yIsColumn = y.Shape.Count == 1 || (y.Shape.Count == 2 && y.Shape[1] == 1);
        if (!yIsColumn || y.Shape[0] != rows)
            throw new DataException($"{path}: {y.Name} has shape {y.ShapeText}, expected ({rows}, 1) to match {x.Name} {x.ShapeText}; use the course's ames.npz.");
        if (columns == 0)
            throw new DataException($"{path}: {x.Name} has no columns; use the course's ames.npz.");
        var features = x.ToDoubleArray();
        var targets = y.ToDoubleArray();
        var bad = Array.FindIndex(features, v => !double.IsFinite(v));
        if (bad >= 0)
            throw new DataException($"{path}: {x.Name}[{bad / columns}, {bad % columns}] is {features[bad]}, expected a finite number; use the course's ames.npz.");
        bad = Array.FindIndex(targets, v => !double.IsFinite(v));
        if (bad >= 0)
            throw new DataException($"{path}: {y.Name}[{bad}] is {targets[bad]}, expected a finite number; use the course's ames.npz.");
        return new RegressionSet(features, targets, columns);
    }

    private static string HashFile(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }
}
