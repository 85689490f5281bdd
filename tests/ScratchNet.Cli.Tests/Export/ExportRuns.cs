using System.Collections.Concurrent;
using System.Globalization;
using ScratchNet.Data;
using ScratchNet.Tests.Data;
using ScratchNet.Tests.Reliability;

namespace ScratchNet.Tests.Export;

/// <summary>
/// Small finished runs of every model the two engines train (one epoch on a subset; evaluated on all 10,000 test images),
/// made by the real CLI once per test session on first use and shared by the export tests.
/// </summary>
public sealed class ExportRuns : IDisposable
{
    private static readonly string[] Subset = ["--epochs", "1", "--limit", "3000"];

    /// <summary>The classifier runs: name → command line (without --out).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Classifiers = new Dictionary<string, string[]>
    {
        ["perceptron"] = ["classify", "perceptron", .. Subset],
        ["logistic-float32"] = ["classify", "logistic", "--precision", "float32", .. Subset],
        ["mlp-relu-dropout"] = ["classify", "mlp", "--hidden", "32", "--dropout", "0.3", "--lr", "0.01", .. Subset],
        ["mlp-tanh-3-layers-float32"] = ["classify", "mlp", "--hidden", "24", "--layers", "3", "--activation", "tanh", "--precision", "float32",
            "--batch-size", "16", "--optimizer", "adam", "--init", "torch", .. Subset],
        ["torch-logistic"] = ["classify", "logistic", "--engine", "torch", .. Subset],
        ["torch-mlp-2-layers"] = ["classify", "mlp", "--engine", "torch", "--layers", "2", "--hidden", "32", "--lr", "0.05", .. Subset],
    };

    /// <summary>The regressor runs, on the tiny Ames fixture.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Regressors = new Dictionary<string, string[]>
    {
        ["linear"] = ["regress", "linear", "--epochs", "2"],
        ["neural-tanh-2-layers"] = ["regress", "neural", "--epochs", "2", "--hidden", "8", "--layers", "2", "--activation", "tanh"],
    };

    private readonly TempDirectory _dir = new();
    private readonly ConcurrentDictionary<string, Lazy<string>> _runs = new();

    public string Root => _dir.Path;

    /// <summary>The folder of the finished run <paramref name="name"/>, trained on first use.</summary>
    public string Run(string name) => _runs.GetOrAdd(name, n => new Lazy<string>(() => Train(n))).Value;

    /// <summary>The tiny Ames data set the regressors train on.</summary>
    public string AmesFolder => _ames.Value;

    private readonly Lazy<string> _ames;

    public ExportRuns() => _ames = new Lazy<string>(() => BrokenInputFixtures.AmesNpzFolder(_dir));

    private string Train(string name)
    {
        var folder = _dir.File(Path.Combine("runs", name));
        string[] args = Classifiers.TryGetValue(name, out var classifier)
            ? [.. classifier, "--data-dir", RealData.RequireFashionMnist(), "--out", folder]
            : [.. Regressors[name], "--data-dir", AmesFolder, "--out", folder];
        var (code, _, error) = CliRunner.Run(args);
        Assert.True(code == ExitCodes.Ok, $"training {name} failed ({code}): {error}");
        return folder;
    }

    /// <summary>test_predictions.csv's predicted column: ScratchNet's own evaluation of the test set.</summary>
    public static int[] ScratchNetPredictions(string run) =>
        [.. File.ReadAllLines(Path.Combine(run, "test_predictions.csv")).Skip(1).Select(line => int.Parse(line.Split(',')[2], CultureInfo.InvariantCulture))];

    public static LabeledImages TestImages() => FashionMnist.LoadDirectory(RealData.RequireFashionMnist(), verifyChecksums: false).Test;

    public void Dispose() => _dir.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ExportRunsCollection : ICollectionFixture<ExportRuns>
{
    public const string Name = "export runs";
}
