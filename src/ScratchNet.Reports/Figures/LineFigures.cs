using ScottPlot;
using ScratchNet.Runs;

namespace ScratchNet.Reports.Figures;

/// <summary>The per-epoch line charts: the report's Figures 2a–9 and the study comparisons.</summary>
internal static class LineFigures
{
    private const string Epoch = FigureStyle.EpochAxis;
    private const string RmseUnit = "RMSE of ln(price)";

    public static RenderedFigure? Draw(FigurePlan figure, string fileStem, LoadedRun run) => figure.Kind switch
    {
        FigureKind.WeightDistance => WeightDistance(figure, fileStem, run),
        FigureKind.RegressionLoss => RegressionLoss(figure, fileStem, run),
        FigureKind.Accuracy => Accuracy(figure, fileStem, run),
        FigureKind.LossAndAccuracy => LossAndAccuracy(figure, fileStem, run),
        _ => throw new ArgumentOutOfRangeException(nameof(figure), figure.Kind, "not a single-run figure (a study comparison draws several runs)"),
    };

    private static RenderedFigure? WeightDistance(FigurePlan figure, string fileStem, LoadedRun run)
    {
        var (epochs, distance) = Column(run, m => m.WeightDistance);
        if (epochs.Count == 0)
            return null;
        var plot = FigureStyle.NewPlot(Title(figure, run), Epoch, "‖ŵ − w‖ (Euclidean distance)");
        FigureStyle.Line(plot, epochs, distance, FigureStyle.Train, "‖ŵ − w‖");
        plot.ShowLegend(Alignment.UpperRight);
        return FigureStyle.Render(plot, fileStem, figure.Label, figure.Caption);
    }

    private static RenderedFigure? RegressionLoss(FigurePlan figure, string fileStem, LoadedRun run)
    {
        var (trainEpochs, train) = Column(run, m => m.TrainRmse);
        var (testEpochs, test) = Column(run, m => m.TestRmse);
        if (trainEpochs.Count == 0 && testEpochs.Count == 0)
            return null;
        var plot = FigureStyle.NewPlot(Title(figure, run), Epoch, RmseUnit);
        FigureStyle.Line(plot, trainEpochs, train, FigureStyle.Train, "train");
        FigureStyle.Line(plot, testEpochs, test, FigureStyle.Test, "test");
        if (run.TestRmseArgminEpoch is { } best)
        {
            var marker = plot.Add.VerticalLine(best, 1, FigureStyle.Highlight, LinePattern.Dashed);
            marker.LegendText = $"lowest test RMSE (epoch {best})";
        }
        plot.ShowLegend(Alignment.UpperRight);
        return FigureStyle.Render(plot, fileStem, figure.Label, figure.Caption);
    }

    private static RenderedFigure? Accuracy(FigurePlan figure, string fileStem, LoadedRun run)
    {
        var (devEpochs, dev) = Column(run, m => m.DevAccuracy);
        var (testEpochs, test) = Column(run, m => m.TestAccuracy);
        if (devEpochs.Count == 0 && testEpochs.Count == 0)
            return null;
        var plot = FigureStyle.NewPlot(Title(figure, run), Epoch, "accuracy");
        FigureStyle.Line(plot, devEpochs, dev, FigureStyle.Dev, "dev");
        FigureStyle.Line(plot, testEpochs, test, FigureStyle.Test, "test");
        plot.ShowLegend(Alignment.LowerRight);
        return FigureStyle.Render(plot, fileStem, figure.Label, figure.Caption);
    }

    private static RenderedFigure? LossAndAccuracy(FigurePlan figure, string fileStem, LoadedRun run)
    {
        var (lossEpochs, loss) = Column(run, m => m.TrainLoss);
        var (devEpochs, dev) = Column(run, m => m.DevAccuracy);
        if (lossEpochs.Count == 0 && devEpochs.Count == 0)
            return null;
        var plot = FigureStyle.NewPlot(Title(figure, run), Epoch, "training loss (cross-entropy)");
        FigureStyle.Line(plot, lossEpochs, loss, FigureStyle.Train, "training loss (left axis)");
        var accuracy = FigureStyle.Line(plot, devEpochs, dev, FigureStyle.Dev, "validation accuracy (right axis)");
        accuracy.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Right.Label.Text = "validation accuracy";
        plot.Axes.Right.Label.FontSize = 15;
        plot.Axes.Right.TickLabelStyle.FontSize = 13;
        plot.ShowLegend(Alignment.MiddleRight);
        return FigureStyle.Render(plot, fileStem, figure.Label, figure.Caption);
    }

    /// <summary>
    /// Dev accuracy per epoch of every run of a study; the legend names each by what follows the study prefix and marks
    /// the run chosen on the dev set.
    /// </summary>
    public static RenderedFigure? StudyComparison(FigurePlan figure, string fileStem, IReadOnlyList<LoadedRun> runs, string prefix, LoadedRun? chosen)
    {
        var plot = FigureStyle.NewPlot(figure.Title + EngineSuffix(runs), Epoch, "dev accuracy");
        var palette = new ScottPlot.Palettes.Category10();
        var drawn = 0;
        foreach (var run in runs)
        {
            var (epochs, dev) = Column(run, m => m.DevAccuracy);
            if (epochs.Count == 0)
                continue;
            var label = run.Name.StartsWith(prefix, StringComparison.Ordinal) ? run.Name[prefix.Length..] : run.Name;
            if (!run.IsCompleted)
                label += $" ({run.Manifest.Status.ToString().ToLowerInvariant()})";
            var line = FigureStyle.Line(plot, epochs, dev, palette.GetColor(drawn), run == chosen ? label + " (chosen)" : label);
            if (run == chosen)
                line.LineWidth = 4;
            drawn++;
        }
        if (drawn == 0)
            return null;
        plot.ShowLegend(Edge.Right);
        return FigureStyle.Render(plot, fileStem, figure.Label, figure.Caption);
    }

    /// <summary>
    /// Any run's learning curves: a classifier's training loss (left axis) with its dev and test accuracy (right axis); a
    /// regressor's train and test RMSE.
    /// </summary>
    public static RenderedFigure? LearningCurves(string fileStem, LoadedRun run, string smokeLabel)
    {
        var title = $"{run.Name} ({Formatting.Engine(run.Engine)}{(smokeLabel.Length > 0 ? ", " + smokeLabel : "")})";
        var label = $"Learning curves of {run.Name} ({Formatting.Engine(run.Engine)})";
        var settings = Formatting.Configuration(run.Options) + $" seed={run.Options.Seed}";
        if (run.Options.IsRegression)
        {
            var (trainEpochs, train) = Column(run, m => m.TrainRmse);
            var (testEpochs, test) = Column(run, m => m.TestRmse);
            if (trainEpochs.Count == 0 && testEpochs.Count == 0)
                return null;
            var plot = FigureStyle.NewPlot(title, Epoch, RmseUnit);
            FigureStyle.Line(plot, trainEpochs, train, FigureStyle.Train, "train");
            FigureStyle.Line(plot, testEpochs, test, FigureStyle.Test, "test");
            plot.ShowLegend(Alignment.UpperRight);
            return FigureStyle.Render(plot, fileStem, label, $"Train and test RMSE of ln(price) per epoch; {settings}.");
        }
        var (lossEpochs, loss) = Column(run, m => m.TrainLoss);
        var (devEpochs, dev) = Column(run, m => m.DevAccuracy);
        var (accuracyEpochs, accuracy) = Column(run, m => m.TestAccuracy);
        if (lossEpochs.Count == 0 && devEpochs.Count == 0 && accuracyEpochs.Count == 0)
            return null;
        var chart = FigureStyle.NewPlot(title, Epoch, "training loss (cross-entropy)");
        FigureStyle.Line(chart, lossEpochs, loss, FigureStyle.Train, "training loss (left axis)");
        foreach (var (epochs, values, color, legend) in new[] { (devEpochs, dev, FigureStyle.Dev, "dev accuracy (right axis)"), (accuracyEpochs, accuracy, FigureStyle.Test, "test accuracy (right axis)") })
        {
            if (epochs.Count > 0)
                FigureStyle.Line(chart, epochs, values, color, legend).Axes.YAxis = chart.Axes.Right;
        }
        chart.Axes.Right.Label.Text = "accuracy";
        chart.Axes.Right.Label.FontSize = 15;
        chart.Axes.Right.TickLabelStyle.FontSize = 13;
        chart.ShowLegend(Alignment.MiddleRight);
        return FigureStyle.Render(chart, fileStem, label, $"Training loss (left axis), dev and test accuracy (right axis) per epoch; {settings}.");
    }

    /// <summary>
    /// Every run of a sweep (or a folder of runs) in one chart: dev accuracy per epoch for classifiers, test RMSE for
    /// regressors; the best-ranked run drawn thick.
    /// </summary>
    public static RenderedFigure? Comparison(string fileStem, string title, IReadOnlyList<LoadedRun> runs, bool regression, LoadedRun? best)
    {
        var quantity = regression ? "test RMSE" : "dev accuracy";
        var plot = FigureStyle.NewPlot($"{title}: {quantity} per epoch{EngineSuffix(runs)}", Epoch, regression ? RmseUnit : "dev accuracy");
        var palette = new ScottPlot.Palettes.Category10();
        var drawn = 0;
        foreach (var run in runs)
        {
            var (epochs, values) = Column(run, m => regression ? m.TestRmse : m.DevAccuracy);
            if (epochs.Count == 0)
                continue;
            var label = run.IsCompleted ? run.Name : $"{run.Name} ({run.Manifest.Status.ToString().ToLowerInvariant()})";
            var line = FigureStyle.Line(plot, epochs, values, palette.GetColor(drawn), run == best ? label + " (best)" : label);
            if (run == best)
                line.LineWidth = 4;
            drawn++;
        }
        if (drawn == 0)
            return null;
        plot.ShowLegend(Edge.Right);
        return FigureStyle.Render(plot, fileStem, $"{title}: comparison",
            $"{(regression ? "Test RMSE" : "Dev accuracy")} per epoch of every run; the best-ranked run is drawn thick.");
    }

    private static string Title(FigurePlan figure, LoadedRun run) =>
        $"{figure.Label}: {figure.Title} ({run.Name}, {Formatting.Engine(run.Engine)}{(run.Options.TrainLimit is { } limit ? $", smoke run on {limit} examples" : "")})";

    private static string EngineSuffix(IReadOnlyList<LoadedRun> runs) =>
        runs.Select(r => r.Engine).Distinct().ToList() is [var engine] ? $" ({engine.ToString().ToLowerInvariant()})" : "";

    private static (List<double> Epochs, List<double> Values) Column(LoadedRun run, Func<EpochMetrics, double?> column)
    {
        var epochs = new List<double>();
        var values = new List<double>();
        foreach (var m in run.Epochs)
        {
            if (column(m) is { } v && double.IsFinite(v))
            {
                epochs.Add(m.Epoch);
                values.Add(v);
            }
        }
        return (epochs, values);
    }
}
