using System.Security.Cryptography;

namespace ScratchNet.Data;

/// <summary>
/// The Ames Housing regression data as the course used it: 1465 train and 1465 test rows of 348 features
/// (PID and 36 z-scored numeric columns, then 311 one-hot indicators), y = ln(SalePrice). The linear models append
/// their bias column themselves.
/// </summary>
/// <param name="Train">The first 1465 rows (course order).</param>
/// <param name="Test">The last 1465 rows.</param>
/// <param name="Source">The file the data came from (ames.npz or AmesHousing.csv/.txt).</param>
public sealed record AmesHousing(RegressionSet Train, RegressionSet Test, string Source)
{
    public const string NpzName = "ames.npz";
    public static IReadOnlyList<string> CsvNames { get; } = ["AmesHousing.csv", "AmesHousing.txt"];

    /// <summary>What to do when Ames is missing; ends the locator's error message.</summary>
    public const string Fix = "put the course's ames.npz (or De Cock's AmesHousing.csv) into ./data/ames, or pass --data-dir";

    /// <summary>The SHA-256 of the source file (for run manifests).</summary>
    public string Sha256 { get; init; } = "";

    /// <summary>File name → SHA-256, for run manifests.</summary>
    public IReadOnlyDictionary<string, string> Checksums =>
        new Dictionary<string, string>(StringComparer.Ordinal) { [Path.GetFileName(Source)] = Sha256 };

    /// <summary>Column names when built from the CSV ("PID", "Lot Area", "MS Zoning=RL", …); empty for ames.npz.</summary>
    public IReadOnlyList<string> FeatureNames { get; init; } = [];

    public static AmesHousing Load(string? dataDir = null) => LoadFrom(DataLocator.FromEnvironment(dataDir));

    /// <summary>The first folder holding ames.npz or AmesHousing.csv/.txt; ames.npz is preferred.</summary>
    public static AmesHousing LoadFrom(DataLocator locator)
    {
        ArgumentNullException.ThrowIfNull(locator);
        var directory = locator.Locate("Ames Housing", locator.AmesCandidates(), dir => FindSource(dir) is not null, Fix);
        var source = FindSource(directory)!;
        return source.EndsWith(".npz", StringComparison.Ordinal) ? LoadNpz(source) : LoadCsv(source);
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
            return AmesCsvPipeline.Load(path) with { Sha256 = HashFile(path) };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"{path}: cannot read ({e.Message}); {Fix}.", e);
        }
    }

    private static string? FindSource(string directory) =>
        new[] { NpzName }.Concat(CsvNames).Select(name => Path.Combine(directory, name)).FirstOrDefault(File.Exists);

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
