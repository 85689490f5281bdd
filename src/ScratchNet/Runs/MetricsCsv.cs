using System.Globalization;
using System.Text;
using ScratchNet.IO;

namespace ScratchNet.Runs;

/// <summary>
/// <c>metrics.csv</c>: one row per epoch, always the same columns (empty where a task does not measure one), numbers in
/// invariant culture with round-trip precision so a reread value equals the written one.
/// </summary>
public static class MetricsCsv
{
    public const string Header = "epoch,seconds,train_loss,train_loss_running,train_rmse,test_rmse,weight_distance,train_accuracy,dev_accuracy,test_accuracy";

    private static readonly string[] Columns = Header.Split(',');

    public static string Format(IEnumerable<EpochMetrics> epochs)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var m in epochs)
        {
            text.Append(m.Epoch.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Number(m.Seconds));
            foreach (var value in new[] { m.TrainLoss, m.TrainLossRunning, m.TrainRmse, m.TestRmse, m.WeightDistance, m.TrainAccuracy, m.DevAccuracy, m.TestAccuracy })
                text.Append(',').Append(value is { } v ? Number(v) : "");
            text.Append('\n');
        }
        return text.ToString();
    }

    public static void Write(string path, IEnumerable<EpochMetrics> epochs) => AtomicFile.WriteAllText(path, Format(epochs));

    public static IReadOnlyList<EpochMetrics> Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"Cannot read {path}: {e.Message}", e);
        }
        return Parse(lines, path);
    }

    public static IReadOnlyList<EpochMetrics> Parse(IReadOnlyList<string> lines, string source)
    {
        if (lines.Count == 0 || lines[0].Trim() != Header)
            throw new DataException($"{source}: the first line should be the header '{Header}' but is '{(lines.Count == 0 ? "(empty file)" : MessageText.Printable(lines[0]))}'. The file was not written by ScratchNet or is corrupt; re-run the training.");
        var epochs = new List<EpochMetrics>();
        for (var row = 1; row < lines.Count; row++)
        {
            if (lines[row].Length == 0)
                continue;
            var cells = lines[row].Split(',');
            if (cells.Length != Columns.Length)
                throw new DataException($"{source}, line {row + 1}: {cells.Length} cells, expected {Columns.Length} ({Header}).");
            double? Cell(int index)
            {
                if (cells[index].Length == 0)
                    return null;
                return double.TryParse(cells[index], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw new DataException($"{source}, line {row + 1}, column {Columns[index]}: '{MessageText.Printable(cells[index])}' is not a number.");
            }
            if (!int.TryParse(cells[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch))
                throw new DataException($"{source}, line {row + 1}, column epoch: '{MessageText.Printable(cells[0])}' is not an integer.");
            epochs.Add(new EpochMetrics
            {
                Epoch = epoch, Seconds = Cell(1) ?? 0, TrainLoss = Cell(2), TrainLossRunning = Cell(3), TrainRmse = Cell(4),
                TestRmse = Cell(5), WeightDistance = Cell(6), TrainAccuracy = Cell(7), DevAccuracy = Cell(8), TestAccuracy = Cell(9),
            });
        }
        return epochs;
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
