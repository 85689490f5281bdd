using ScottPlot;
using ScottPlot.Plottables;
using SkiaSharp;

namespace ScratchNet.Reports.Figures;

/// <summary>One look for every figure: size, sans font, colours, and the rendering to PNG and SVG.</summary>
internal static class FigureStyle
{
    public const int Width = 800;
    public const int Height = 480;

    /// <summary>The x label of every per-epoch chart; its ticks are whole epochs (a 3-epoch run has no tick at 1.5).</summary>
    public const string EpochAxis = "epoch";

    /// <summary>The sans fonts the figures use, in order of preference, and the Debian packages that provide them.</summary>
    private static readonly (string Family, string Package)[] SansFonts = [("DejaVu Sans", "fonts-dejavu-core"), ("Liberation Sans", "fonts-liberation")];

    private static readonly Lazy<string> ResolvedFont = new(ResolveFont);

    public static string FontName => ResolvedFont.Value;

    public static Color Train { get; } = Color.FromHex("#1f77b4");
    public static Color Test { get; } = Color.FromHex("#ff7f0e");
    public static Color Dev { get; } = Color.FromHex("#2ca02c");
    public static Color Highlight { get; } = Color.FromHex("#d62728");

    /// <summary>A plot with the shared font sizes and grid; call <see cref="Render"/> once it is filled.</summary>
    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title, 18);
        plot.XLabel(xLabel, 15);
        plot.YLabel(yLabel, 15);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        if (xLabel == EpochAxis)
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        return plot;
    }

    public static Scatter Line(Plot plot, IReadOnlyList<double> xs, IReadOnlyList<double> ys, Color color, string legend)
    {
        var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray(), color);
        line.LineWidth = 2;
        line.MarkerSize = xs.Count <= 30 ? 5 : 0;
        line.LegendText = legend;
        return line;
    }

    public static RenderedFigure Render(Plot plot, string fileStem, string label, string caption, int width = Width, int height = Height)
    {
        plot.Font.Set(FontName);
        plot.Legend.FontName = FontName;
        plot.Legend.FontSize = 13;
        var png = plot.GetImageBytes(width, height, ImageFormat.Png);
        var svg = plot.GetSvgXml(width, height);
        return new RenderedFigure(fileStem, label, caption, width, height, png, svg);
    }

    private static string ResolveFont()
    {
        foreach (var (family, _) in SansFonts)
        {
            using var typeface = SKFontManager.Default.MatchFamily(family);
            if (typeface is not null && typeface.FamilyName == family)
                return family;
        }
        throw new ScratchNetException(
            $"None of the figure fonts ({string.Join(", ", SansFonts.Select(f => f.Family))}) is installed. Install one: apt-get install -y {SansFonts[0].Package}",
            ExitCodes.Data);
    }
}
