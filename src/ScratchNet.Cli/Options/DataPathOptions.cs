using System.CommandLine;
using ScratchNet.Data;

namespace ScratchNet.Cli.Options;

/// <summary>
/// <c>--data-dir</c> (one folder for both data sets, as before) and the per-data-set <c>--fashion-mnist DIR</c> and
/// <c>--ames FILE|DIR</c>, which win over it; for the commands that read both data sets (reproduce, data info).
/// </summary>
internal sealed class DataPathOptions
{
    public DataPathOptions(string dataDirDescription)
    {
        DataDir = new("--data-dir") { Description = dataDirDescription, HelpName = "DIR" };
        FashionMnist = new("--fashion-mnist") { Description = FashionMnistDescription, HelpName = "DIR" };
        Ames = new("--ames") { Description = AmesDescription, HelpName = "FILE|DIR" };
    }

    public const string FashionMnistDescription =
        "Folder holding the four Fashion-MNIST files, raw or .gz (wins over --data-dir) [default: searched: $SCRATCHNET_DATA, ./data, /usr/share/datasets/fashion-mnist]";

    public const string AmesDescription =
        "AmesHousing.csv[.gz] or ames.npz, or a folder holding one (wins over --data-dir) [default: searched: $SCRATCHNET_DATA, ./data, then the repository's bundled data/ames]";

    public Option<string?> DataDir { get; }
    public Option<string?> FashionMnist { get; }
    public Option<string?> Ames { get; }

    public void AddTo(Command command)
    {
        command.Options.Add(DataDir);
        command.Options.Add(FashionMnist);
        command.Options.Add(Ames);
    }

    public DataLocator Locator(ParseResult parse) =>
        DataLocator.FromEnvironment(parse.GetValue(DataDir), parse.GetValue(FashionMnist), parse.GetValue(Ames));
}

/// <summary>The data paths a command was given (full paths, so worker processes in another folder read the same files).</summary>
internal sealed record DataPaths(string? DataDir, string? FashionMnist, string? Ames)
{
    public static DataPaths From(ParseResult parse, DataPathOptions options) => new(
        Full(parse.GetValue(options.DataDir)), Full(parse.GetValue(options.FashionMnist)), Full(parse.GetValue(options.Ames)));

    public DataLocator Locator() => DataLocator.FromEnvironment(DataDir, FashionMnist, Ames);

    private static string? Full(string? path) => path is null ? null : Path.GetFullPath(path);
}
