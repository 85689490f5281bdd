using ScottPlot;
using ScottPlot.TickGenerators;

namespace ScratchNet.Reports.Figures;

/// <summary>The 10×10 confusion matrix of a classifier on the test set: rows true class, columns predicted, counts in the cells.</summary>
internal static class ConfusionMatrixFigure
{
    public const int ClassCount = 10;

    /// <summary>counts[true, predicted].</summary>
    public static int[,] Count(IReadOnlyList<TestPrediction> predictions)
    {
        var counts = new int[ClassCount, ClassCount];
        foreach (var p in predictions)
            counts[p.Label, p.Predicted]++;
        return counts;
    }

    public static RenderedFigure Draw(string fileStem, string label, string title, string caption, int[,] counts)
    {
        var names = FashionMnistClasses.Names;
        var plot = FigureStyle.NewPlot(title, "predicted class", "true class");
        var max = Math.Max(1, counts.Cast<int>().Max());
        var colormap = new ScottPlot.Colormaps.Blues();
        for (var row = 0; row < ClassCount; row++)
        {
            for (var column = 0; column < ClassCount; column++)
            {
                var count = counts[row, column];
                // Square root spreads the colours: the diagonal dwarfs every off-diagonal cell.
                var shade = Math.Sqrt((double)count / max);
                var cell = plot.Add.Rectangle(column - 0.5, column + 0.5, row + 0.5, row - 0.5);
                cell.FillStyle.Color = colormap.GetColor(1 - 0.95 * shade); // Blues runs from dark (0) to white (1)
                cell.LineStyle.Color = Colors.White;
                cell.LineStyle.Width = 1;
                var text = plot.Add.Text(count.ToString(System.Globalization.CultureInfo.InvariantCulture), column, row);
                text.LabelFontName = FigureStyle.FontName;
                text.LabelFontSize = 12;
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontColor = shade > 0.55 ? Colors.White : Colors.Black;
            }
        }
        var positions = Enumerable.Range(0, ClassCount).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.TickGenerator = new NumericManual(positions, [.. names]);
        plot.Axes.Left.TickGenerator = new NumericManual(positions, [.. names]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = -35;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.UpperRight; // hang below the tick: MiddleRight put the label's end under the frame
        plot.Axes.Bottom.MinimumSize = 100;
        plot.Grid.IsVisible = false;
        // Row 0 at the top, as a matrix is read.
        plot.Axes.SetLimits(-0.5, ClassCount - 0.5, ClassCount - 0.5, -0.5);
        return FigureStyle.Render(plot, fileStem, label, caption, 760, 720);
    }
}
