using System.Globalization;
using ScratchNet.Runs;

namespace ScratchNet.Reports;

/// <summary>
/// Finds and reads run folders wherever they were produced: each path is a run folder (it holds <c>manifest.json</c>) or a
/// folder of run folders (searched a few levels deep). Runs with the same name and engine from several places are merged:
/// the one that finished last wins, and a warning names the others.
/// </summary>
public static class RunLoader
{
    private const int SearchDepth = 3;

    /// <summary>Reads every run under <paramref name="paths"/>. A corrupt run is an error unless <paramref name="skipBad"/>, which turns it into a warning.</summary>
    public static IReadOnlyList<LoadedRun> Load(IEnumerable<string> paths, bool skipBad, Action<string> warn)
    {
        var folders = new List<string>();
        var searched = new List<string>();
        foreach (var path in paths)
        {
            if (!Directory.Exists(path))
                throw MessageTerms.UsageError($"{{Runs}} {path}: no such folder. Pass run folders or folders that contain run folders.");
            searched.Add(path);
            folders.AddRange(FindRunFolders(Path.GetFullPath(path)));
        }
        if (folders.Count == 0)
            throw MessageTerms.DataError($"No run folders (folders holding {RunFolder.ManifestFile}) found under {string.Join(", ", searched)}. Run './scratchnet reproduce' (or classify/regress) first, or point {{Runs}} at its output.");

        var runs = new List<LoadedRun>();
        foreach (var folder in folders.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            try
            {
                runs.Add(LoadOne(folder));
            }
            catch (DataException e) when (skipBad)
            {
                warn($"skipped {folder}: {e.Message}");
            }
            catch (DataException e)
            {
                throw SettingNames.DataError($"{e.Template ?? e.Message} (Pass {{SkipBad}} to leave out unreadable runs with a warning.)", e);
            }
        }
        if (runs.Count == 0)
            throw new DataException($"Every run folder under {string.Join(", ", searched)} was unreadable; nothing to report.");
        return Merge(runs, warn);
    }

    /// <summary>Reads one run folder; a missing or corrupt file is a <see cref="DataException"/> naming it.</summary>
    public static LoadedRun LoadOne(string folder)
    {
        var manifest = RunFolder.ReadManifest(folder);
        var metricsPath = Path.Combine(folder, RunFolder.MetricsFile);
        // A run that stopped before its first epoch has no metrics yet; a completed run without them is corrupt.
        var epochs = File.Exists(metricsPath) || manifest.Status == RunStatus.Completed ? RunFolder.ReadMetrics(folder) : [];
        var predictionsPath = Path.Combine(folder, RunFolder.PredictionsFile);
        var predictions = File.Exists(predictionsPath) ? ReadPredictions(predictionsPath) : null;
        return new LoadedRun(folder, manifest, epochs, predictions);
    }

    public static IReadOnlyList<TestPrediction> ReadPredictions(string path)
    {
        var lines = File.ReadAllLines(path);
        const string header = "index,label,predicted";
        if (lines.Length == 0 || lines[0].Trim() != header)
            throw new DataException($"{path}: the first line should be '{header}'. The file is corrupt; re-run the training.");
        var predictions = new List<TestPrediction>(lines.Length - 1);
        for (var row = 1; row < lines.Length; row++)
        {
            if (lines[row].Length == 0)
                continue;
            var cells = lines[row].Split(',');
            if (cells.Length != 3 || !TryClass(cells[0], int.MaxValue, out var index) || !TryClass(cells[1], 9, out var label) || !TryClass(cells[2], 9, out var predicted))
                throw new DataException($"{path}, line {row + 1}: '{lines[row]}' is not 'index,label,predicted' with labels 0–9.");
            predictions.Add(new TestPrediction(index, label, predicted));
        }
        return predictions;
    }

    private static bool TryClass(string cell, int max, out int value) =>
        int.TryParse(cell, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= max;

    private static IEnumerable<string> FindRunFolders(string root)
    {
        if (File.Exists(Path.Combine(root, RunFolder.ManifestFile)))
            return [root];
        var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = SearchDepth, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden };
        return Directory.EnumerateFiles(root, RunFolder.ManifestFile, options)
            .Select(file => Path.GetDirectoryName(file)!)
            .Where(dir => !Path.GetFileName(dir).StartsWith('.'));
    }

    private static List<LoadedRun> Merge(List<LoadedRun> runs, Action<string> warn)
    {
        var merged = new List<LoadedRun>();
        // One run per name and configuration: the same run from two machines is merged, while two sweeps' "base" runs
        // of different settings are both kept.
        foreach (var group in runs.GroupBy(r => (r.Name, r.Engine, Hash: r.Options.ConfigHash())))
        {
            var ordered = group.OrderByDescending(r => r.IsCompleted).ThenByDescending(r => r.Manifest.FinishedUtc ?? r.Manifest.StartedUtc).ToList();
            merged.Add(ordered[0]);
            foreach (var other in ordered.Skip(1))
                warn($"run '{group.Key.Name}' ({group.Key.Engine}) appears more than once: using {ordered[0].Folder}, ignoring {other.Folder}.");
        }
        return merged.OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Engine).ThenBy(r => r.Folder, StringComparer.Ordinal).ToList();
    }
}
