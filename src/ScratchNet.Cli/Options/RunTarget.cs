using System.CommandLine;
using System.Globalization;
using ScratchNet.Runs;

namespace ScratchNet.Cli.Options;

/// <summary>
/// Where a `regress`/`classify` run writes and with which options. A new run takes the preset and the options given,
/// and never writes over another run (see <see cref="RunFolder.OpenNew"/>); <c>--resume DIR</c> takes the options of
/// the run's manifest.json, refuses a given option that differs from them (naming both values), and lets the epoch
/// count grow only through <c>--extend-to</c>. A finished run with nothing left to train is <see cref="Finished"/>.
/// </summary>
internal sealed record RunTarget(string Folder, TrainingOptions Options, bool Resume, bool Overwrite, bool DefaultName, string? Finished)
{
    public static RunTarget Resolve(ParseResult parse, TrainingCommandOptions options, ModelKind model, string modelName)
    {
        var resume = parse.GetResult(options.Resume) is not null;
        var overwrite = parse.GetValue(options.Overwrite);
        var extendTo = parse.GetValue(options.ExtendTo);
        var output = parse.GetValue(options.Out);
        if (!resume)
        {
            if (extendTo is not null)
                throw new UsageException("--extend-to trains a run further: use it with --resume DIR (to start a new run, give --epochs).");
            var resolved = options.Resolve(parse, model);
            if (output is not null)
            {
                RunFolder.RefuseInUse(output);
                RunFolder.RefuseOccupied(output, overwrite);
            }
            var folder = output ?? Path.Combine("runs", $"{modelName}-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
            return new RunTarget(folder, resolved, Resume: false, overwrite, DefaultName: output is null, Finished: null);
        }

        if (overwrite)
            throw new UsageException("--resume continues a run and --overwrite replaces it: give one of them.");
        var given = parse.GetValue(options.Resume);
        if (given is not null && output is not null && Path.GetFullPath(given) != Path.GetFullPath(output))
            throw new UsageException($"--resume {given} and --out {output} name two folders: give the run folder once, as --resume {given}.");
        var dir = given ?? output ?? throw new UsageException("--resume needs the run folder: --resume DIR (or --resume --out DIR).");
        var manifestPath = Path.Combine(dir, RunFolder.ManifestFile);
        if (!File.Exists(manifestPath))
        {
            RunCheckpoint.Require(dir); // the usual "no epoch of this run finished"
            throw new DataException($"--resume {dir}: {manifestPath} is missing, so the run's options are unknown. Start a new run with a new --out.");
        }
        var manifest = RunFolder.ReadManifest(dir);
        if (manifest.Options.Model != model)
            throw new UsageException($"--resume {dir}: the folder holds a run of {Command(manifest.Options.Model)}, not of {Command(model)}; resume it with ./scratchnet {Command(manifest.Options.Model)} --resume {dir}.");
        if (manifest.Status == RunStatus.Diverged)
            throw new UsageException($"--resume {dir}: the run diverged ({manifest.Message}); it cannot continue. Start a new run with a smaller --lr and a new --out.");
        var merged = options.Resolve(parse, model, basis: manifest.Options);
        // Every option that changes a run (--threads may differ: it never changes results).
        var conflicts = OptionTable.All.Where(o => o.ChangesResult && o.Text(merged) != o.Text(manifest.Options))
            .Select(o => $"{o.Flag} {Show(o, merged)} conflicts with the run's {Show(o, manifest.Options)}").ToList();
        if (parse.GetValue(options.Preset) is { } preset && preset != manifest.Options.Preset)
            conflicts.Add($"--preset {preset} conflicts with the run's {manifest.Options.Preset}");
        if (conflicts.Count > 0)
        {
            var epochs = conflicts.Any(c => c.StartsWith("--epochs", StringComparison.Ordinal)) ? "; to train it longer, use --extend-to EPOCHS" : "";
            throw new UsageException($"--resume {dir}: {string.Join("; ", conflicts)} (from {manifestPath}). Leave the option out: a resumed run keeps its options{epochs}.");
        }
        if (extendTo is { } target)
        {
            if (target < Math.Max(1, manifest.EpochsCompleted) || target > 100_000)
                throw new UsageException($"--extend-to {target} is out of range: expected an integer from {Math.Max(1, manifest.EpochsCompleted)} (the epochs the run has finished) to 100000.");
            merged = (merged with { Epochs = target }).Validate();
        }
        var finished = manifest.Status == RunStatus.Completed && manifest.EpochsCompleted >= merged.Epochs
            ? $"{Path.GetFullPath(dir)} is finished ({manifest.EpochsCompleted} of {manifest.Options.Epochs} epochs); nothing to train. To train it longer: --resume {dir} --extend-to EPOCHS."
            : null;
        if (finished is null)
            RunCheckpoint.Require(dir);
        return new RunTarget(dir, merged, Resume: true, Overwrite: false, DefaultName: false, finished);
    }

    /// <summary>Opens (and locks) the folder: the resumed run's, a fresh default name, or --out (refused if it holds another run).</summary>
    public RunFolder Open() =>
        Resume ? RunFolder.Open(Folder) : DefaultName ? RunFolder.OpenUnique(Folder) : RunFolder.OpenNew(Folder, Overwrite);

    /// <summary>The command that trains <paramref name="model"/>: <c>classify mlp</c>, <c>regress linear</c>, …</summary>
    public static string Command(ModelKind model) => model switch
    {
        ModelKind.LinearRegression => "regress linear",
        ModelKind.NeuralRegressor => "regress neural",
        ModelKind.Perceptron => "classify perceptron",
        ModelKind.LogisticRegression => "classify logistic",
        _ => "classify mlp",
    };

    private static string Show(OptionRow option, TrainingOptions options) => option.Text(options) is { Length: > 0 } text ? text : "(none)";
}
