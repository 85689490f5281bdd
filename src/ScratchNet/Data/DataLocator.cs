namespace ScratchNet.Data;

/// <summary>
/// Where to look for data: a per-data-set path (<c>--fashion-mnist</c>, <c>--ames</c>), the explicit <c>--data-dir</c>,
/// <c>SCRATCHNET_DATA</c>, the current directory, the repository's own <c>data/</c> (Ames is bundled there) and the
/// system folder. See docs/data.md.
/// </summary>
/// <param name="DataDir">The user's <c>--data-dir</c>; when set, it is the only place searched (and its dataset subfolder).</param>
/// <param name="EnvironmentDataDir">The value of <c>SCRATCHNET_DATA</c>.</param>
/// <param name="CurrentDirectory">The working directory.</param>
/// <param name="Home">The value of <c>SCRATCHNET_HOME</c> (the repository root, set by ./scratchnet).</param>
public sealed record DataLocator(string? DataDir, string? EnvironmentDataDir, string CurrentDirectory, string? Home)
{
    public const string DataEnvironmentVariable = "SCRATCHNET_DATA";
    public const string HomeEnvironmentVariable = "SCRATCHNET_HOME";

    /// <summary>The file whose presence marks a folder as the ScratchNet repository root.</summary>
    public const string RepositoryMarker = "ScratchNet.sln";

    /// <summary><c>--fashion-mnist DIR</c>: the only folder searched for Fashion-MNIST (wins over <see cref="DataDir"/>).</summary>
    public string? FashionMnistPath { get; init; }

    /// <summary><c>--ames FILE|DIR</c>: the Ames file, or the only folder searched for it (wins over <see cref="DataDir"/>).</summary>
    public string? AmesPath { get; init; }

    /// <summary>
    /// Where this program's files are (<see cref="AppContext.BaseDirectory"/> in a real process): the repository is
    /// also found above it, so <c>dotnet artifacts/cli/ScratchNet.Cli.dll</c> finds the bundled data from any folder.
    /// </summary>
    public string? ProgramDirectory { get; init; }

    /// <summary>A locator reading the process's environment, working directory and program location.</summary>
    public static DataLocator FromEnvironment(string? dataDir, string? fashionMnist = null, string? ames = null) => new(
        dataDir,
        Environment.GetEnvironmentVariable(DataEnvironmentVariable),
        Directory.GetCurrentDirectory(),
        Environment.GetEnvironmentVariable(HomeEnvironmentVariable))
    {
        FashionMnistPath = fashionMnist,
        AmesPath = ames,
        ProgramDirectory = AppContext.BaseDirectory,
    };

    /// <summary>The repository roots to search for bundled data: <see cref="Home"/>, then the first folder above <see cref="ProgramDirectory"/> holding <see cref="RepositoryMarker"/>.</summary>
    public IReadOnlyList<string> RepositoryRoots()
    {
        var roots = new List<string>();
        if (!string.IsNullOrEmpty(Home))
            roots.Add(Home);
        if (!string.IsNullOrEmpty(ProgramDirectory))
        {
            for (var directory = new DirectoryInfo(ProgramDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, RepositoryMarker)))
                {
                    if (!roots.Any(r => PathsEqual(r, directory.FullName)))
                        roots.Add(directory.FullName);
                    break;
                }
            }
        }
        return roots;
    }

    /// <summary>The Fashion-MNIST candidates, in search order.</summary>
    public IReadOnlyList<string> FashionMnistCandidates() =>
        FashionMnistPath is not null ? [FashionMnistPath] : Candidates("fashion-mnist", FashionMnistFiles.SystemDirectory);

    /// <summary>The Ames candidate folders, in search order (the repository's bundled data/ames last).</summary>
    public IReadOnlyList<string> AmesCandidates() =>
        AmesPath is not null ? [AmesPath] : Candidates("ames", [.. RepositoryRoots().Select(root => Path.Combine(root, "data", "ames"))]);

    /// <summary>
    /// The first candidate for which <paramref name="holds"/> is true. An explicit <see cref="DataDir"/> (or
    /// per-data-set path) that does not exist, or that lacks the data, is an error (it is never silently replaced by
    /// another folder). <paramref name="whatToInstall"/> is a <see cref="MessageTerms"/> template.
    /// </summary>
    public string Locate(string dataset, IReadOnlyList<string> candidates, Func<string, bool> holds, string whatToInstall)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(holds);
        var (term, explicitPath) = dataset switch
        {
            "Fashion-MNIST" when FashionMnistPath is not null => ("FashionMnist", FashionMnistPath),
            "Ames Housing" when AmesPath is not null => ("Ames", AmesPath),
            _ => ("DataDir", DataDir),
        };
        if (explicitPath is not null && !Directory.Exists(explicitPath))
            throw MessageTerms.DataError(term == "Ames"
                ? $"{{Ames}} {explicitPath}: no such file or directory; give AmesHousing.csv[.gz], ames.npz or a folder holding one."
                : $"{{{term}}} {explicitPath}: no such directory; give an existing folder that holds {dataset}.");
        foreach (var candidate in candidates)
        {
            if (Directory.Exists(candidate) && holds(candidate))
                return Path.GetFullPath(candidate);
        }
        var searched = string.Join(", ", candidates.Select(c => Path.GetFullPath(c)));
        throw MessageTerms.DataError($"{dataset} not found (searched: {searched}); {whatToInstall}.");
    }

    private List<string> Candidates(string subfolder, params string[] fallbacks)
    {
        if (DataDir is not null)
            return [DataDir, Path.Combine(DataDir, subfolder)];
        var list = new List<string>();
        if (!string.IsNullOrEmpty(EnvironmentDataDir))
        {
            list.Add(EnvironmentDataDir);
            list.Add(Path.Combine(EnvironmentDataDir, subfolder));
        }
        var local = Path.Combine(CurrentDirectory, "data");
        list.Add(local);
        list.Add(Path.Combine(local, subfolder));
        foreach (var fallback in fallbacks)
        {
            if (!list.Any(existing => PathsEqual(existing, fallback)))
                list.Add(fallback);
        }
        return list;
    }

    private static bool PathsEqual(string a, string b) =>
        string.Equals(Path.GetFullPath(a).TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath(b).TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal);
}
