namespace ScratchNet.Data;

/// <summary>Where to look for data: the explicit <c>--data-dir</c>, <c>SCRATCHNET_DATA</c>, the current directory, the repository.</summary>
/// <param name="DataDir">The user's <c>--data-dir</c>; when set, it is the only place searched (and its dataset subfolder).</param>
/// <param name="EnvironmentDataDir">The value of <c>SCRATCHNET_DATA</c>.</param>
/// <param name="CurrentDirectory">The working directory.</param>
/// <param name="Home">The value of <c>SCRATCHNET_HOME</c> (the repository root, set by ./scratchnet).</param>
public sealed record DataLocator(string? DataDir, string? EnvironmentDataDir, string CurrentDirectory, string? Home)
{
    public const string DataEnvironmentVariable = "SCRATCHNET_DATA";
    public const string HomeEnvironmentVariable = "SCRATCHNET_HOME";

    /// <summary>A locator reading the process's environment and working directory.</summary>
    public static DataLocator FromEnvironment(string? dataDir) => new(
        dataDir,
        Environment.GetEnvironmentVariable(DataEnvironmentVariable),
        Directory.GetCurrentDirectory(),
        Environment.GetEnvironmentVariable(HomeEnvironmentVariable));

    /// <summary>The Fashion-MNIST candidates, in search order.</summary>
    public IReadOnlyList<string> FashionMnistCandidates() =>
        Candidates("fashion-mnist", FashionMnistFiles.SystemDirectory);

    /// <summary>The Ames candidates, in search order.</summary>
    public IReadOnlyList<string> AmesCandidates()
    {
        var shared = new List<string>();
        if (!string.IsNullOrEmpty(Home))
            shared.Add(Path.Combine(Home, "..", "shared", "datasets", "ames"));
        shared.Add(Path.Combine(CurrentDirectory, "..", "shared", "datasets", "ames"));
        return Candidates("ames", [.. shared]);
    }

    /// <summary>
    /// The first candidate for which <paramref name="holds"/> is true. An explicit <see cref="DataDir"/> that does
    /// not exist, or that lacks the data, is an error (it is never silently replaced by another folder).
    /// </summary>
    public string Locate(string dataset, IReadOnlyList<string> candidates, Func<string, bool> holds, string whatToInstall)
    {
        if (DataDir is not null && !Directory.Exists(DataDir))
            throw new DataException($"--data-dir {DataDir}: no such directory; give an existing folder that holds {dataset}.");
        foreach (var candidate in candidates)
        {
            if (Directory.Exists(candidate) && holds(candidate))
                return Path.GetFullPath(candidate);
        }
        var searched = string.Join(", ", candidates.Select(c => Path.GetFullPath(c)));
        throw new DataException($"{dataset} not found (searched: {searched}); {whatToInstall}.");
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
        list.AddRange(fallbacks);
        return list;
    }
}
