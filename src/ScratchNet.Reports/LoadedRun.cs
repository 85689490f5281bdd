using ScratchNet.Runs;

namespace ScratchNet.Reports;

/// <summary>One test example's true and predicted class, from <c>test_predictions.csv</c>.</summary>
public readonly record struct TestPrediction(int Index, int Label, int Predicted);

/// <summary>A run folder read back: its manifest, its per-epoch metrics and (classifiers) its test-set predictions.</summary>
public sealed record LoadedRun(string Folder, RunManifest Manifest, IReadOnlyList<EpochMetrics> Epochs, IReadOnlyList<TestPrediction>? Predictions)
{
    public string Name => Manifest.Name;

    public Engine Engine => Manifest.Options.Engine;

    public TrainingOptions Options => Manifest.Options;

    public bool IsCompleted => Manifest.Status == RunStatus.Completed;

    public double? FinalDevAccuracy => Final("dev_accuracy", m => m.DevAccuracy);

    public double? FinalTestAccuracy => Final("test_accuracy", m => m.TestAccuracy);

    public double? FinalTrainRmse => Final("train_rmse", m => m.TrainRmse);

    public double? FinalTestRmse => Final("test_rmse", m => m.TestRmse);

    /// <summary>The epoch with the lowest test RMSE (the report: linear regression's test loss is lowest near epoch 71).</summary>
    public int? TestRmseArgminEpoch =>
        Epochs.Where(m => m.TestRmse is not null).MinBy(m => m.TestRmse!.Value)?.Epoch;

    /// <summary>The manifest's final value by snake_case name, else the last epoch that measured it.</summary>
    private double? Final(string key, Func<EpochMetrics, double?> column)
    {
        if (Manifest.Final.TryGetValue(key, out var value))
            return value;
        for (var i = Epochs.Count - 1; i >= 0; i--)
        {
            if (column(Epochs[i]) is { } v)
                return v;
        }
        return null;
    }
}
