namespace ScratchNet.Tests;

/// <summary>Where tests find committed test data and the data sets that live outside the repo.</summary>
internal static class TestPaths
{
    /// <summary>The repository root (the folder holding ScratchNet.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Committed, small reference data (e.g. vectors numpy produced).</summary>
    public static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ScratchNet.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"ScratchNet.sln not found above {AppContext.BaseDirectory}.");
    }
}
