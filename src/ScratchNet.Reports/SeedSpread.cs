using System.Globalization;
using ScratchNet.Runs;

namespace ScratchNet.Reports;

/// <summary>
/// Runs of one configuration that differ only in their seed (a seed sweep): the spread of their final dev and test
/// accuracy, as <see cref="SpreadEvidence"/> ready for <c>tolerance-evidence.json</c>. A configuration that is a reference
/// row's (seed aside) is named by that row's section.
/// </summary>
public static class SeedSpread
{
    /// <summary>Every group of at least two completed classifier runs with equal settings but for the seed, one evidence row per metric.</summary>
    public static IReadOnlyList<SpreadEvidence> Measure(IEnumerable<LoadedRun> runs)
    {
        var evidence = new List<SpreadEvidence>();
        var groups = runs.Where(r => r.IsCompleted && !r.Options.IsRegression)
            .GroupBy(r => (r.Engine, Hash: SeedlessHash(r.Options)));
        foreach (var group in groups)
        {
            // One run per seed: the same seed twice (two machines) would count one draw twice.
            var bySeed = group.GroupBy(r => r.Options.Seed).Select(g => g.First()).OrderBy(r => r.Options.Seed).ToList();
            if (bySeed.Count < 2)
                continue;
            foreach (var metric in new[] { ReportMetric.FinalDevAccuracy, ReportMetric.FinalTestAccuracy })
            {
                var measured = bySeed.Select(r => (r.Options.Seed, Value: ReferenceNumbers.Measure(r, metric))).Where(m => m.Value is not null).ToList();
                if (measured.Count < 2)
                    continue;
                evidence.Add(Evidence(bySeed, metric, measured.Select(m => m.Seed).ToList(), measured.Select(m => m.Value!.Value).ToList()));
            }
        }
        return evidence;
    }

    private static SpreadEvidence Evidence(List<LoadedRun> runs, ReportMetric metric, List<int> seeds, List<double> values)
    {
        var first = runs[0];
        var (mean, std) = SpreadEvidence.MeanAndStd(values);
        var section = ReferenceNumbers.All.FirstOrDefault(r => r.Metric == metric &&
            SeedlessHash(r.Settings.OnEngine(first.Engine)) == SeedlessHash(first.Options))?.Section;
        var finished = runs.Max(r => r.Manifest.FinishedUtc ?? r.Manifest.StartedUtc);
        var commits = runs.Select(r => Commit(r.Manifest.Environment.ScratchNet)).Distinct().ToList();
        return new SpreadEvidence
        {
            Section = section,
            Metric = metric.ToString(),
            Engine = Formatting.Engine(first.Engine),
            Configuration = Formatting.Configuration(first.Options with { Seed = 0 }),
            Seeds = seeds,
            Values = values,
            Mean = mean,
            Std = std,
            Date = finished.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Commit = string.Join(", ", commits),
            Command = SweepCommand(first.Options, seeds),
        };
    }

    /// <summary>The configuration hash with the seed left out: runs with equal seedless hashes differ only in their seed.</summary>
    public static string SeedlessHash(TrainingOptions options) => (options with { Seed = 0 }).ConfigHash();

    /// <summary>"0.1.0+261db24e…" → "261db24"; the version as written when it carries no commit.</summary>
    private static string Commit(string version) =>
        version.IndexOf('+') is var plus and >= 0 && version.Length > plus + 7 ? version[(plus + 1)..(plus + 8)] : version;

    /// <summary>
    /// A <c>sweep</c> command that trains these seeds again: the preset, the engine, every setting that differs from the
    /// preset, and the seeds as the grid.
    /// </summary>
    public static string SweepCommand(TrainingOptions options, IEnumerable<int> seeds)
    {
        var parts = new List<string> { "./scratchnet sweep", ModelMetadata.CliName(options.Model) };
        var preset = Presets.Names.Contains(options.Preset) ? options.Preset : Presets.DefaultFor(options.Model);
        parts.Add($"--preset {preset}");
        parts.Add($"--engine {Formatting.Engine(options.Engine)}");
        var basis = Presets.For(options.Model, preset).OnEngine(options.Engine);
        // sweep's own --epochs and --limit, then every other sweep key whose value differs from the preset's
        foreach (var option in OptionTable.All.Where(o => o.Name is "epochs" or "limit" && o.Text(options) != o.Text(basis)))
            parts.Add($"{option.Flag} {option.Text(options)}");
        var grid = new List<string> { $"seed={string.Join(',', seeds)}" };
        grid.AddRange(OptionTable.SweepKeys.Where(o => o.Name is not ("epochs" or "seed") && o.Text(options) != o.Text(basis)).Select(o => $"{o.Name}={o.Text(options)}"));
        // A one-value key fixes that setting for every run; --mode grid crosses it with every seed.
        parts.Add(grid.Count == 1 ? $"--grid {grid[0]}" : $"--mode grid --grid \"{string.Join(';', grid)}\"");
        parts.Add("--out seeds");
        return string.Join(' ', parts);
    }
}
