using ScratchNet.Runs;

namespace ScratchNet.Cli.Experiments;

/// <summary>
/// Turns resolved options into the explicit `scratchnet regress|classify …` command line that trains them: what worker
/// processes run, and what `sweep --emit-jobs` writes, one self-contained command per configuration.
/// </summary>
public static class RunArguments
{
    /// <param name="options">The resolved options of the run.</param>
    /// <param name="outDir">The run folder.</param>
    /// <param name="dataDir">--data-dir to pass on, if any.</param>
    /// <param name="fashionMnist">--fashion-mnist to pass on to classify runs, if any.</param>
    /// <param name="ames">--ames to pass on to regress runs, if any.</param>
    public static IReadOnlyList<string> For(TrainingOptions options, string outDir, string? dataDir = null, string? fashionMnist = null, string? ames = null)
    {
        var verb = options.IsRegression ? "regress" : "classify";
        // Every setting spelled out (a worker's command line does not depend on the presets of the version that runs it).
        var args = new List<string> { verb, ModelMetadata.CliName(options.Model) };
        foreach (var option in OptionTable.All.Where(o => o.Text(options).Length > 0))
            args.AddRange([option.Flag, option.Text(options)]);
        args.AddRange(["--preset", options.Preset]);
        if (dataDir is not null)
            args.AddRange(["--data-dir", dataDir]);
        if (verb == "classify" && fashionMnist is not null)
            args.AddRange(["--fashion-mnist", fashionMnist]);
        if (verb == "regress" && ames is not null)
            args.AddRange(["--ames", ames]);
        args.AddRange(["--out", outDir]);
        return args;
    }

    /// <summary>The command as one shell line, each argument quoted when it needs to be.</summary>
    public static string ShellLine(string program, IEnumerable<string> args) =>
        string.Join(' ', new[] { program }.Concat(args).Select(Quote));

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,@".Contains(c)) ? arg : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
