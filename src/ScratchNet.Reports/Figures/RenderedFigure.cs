namespace ScratchNet.Reports.Figures;

/// <summary>A figure drawn in both formats. <see cref="FileStem"/> names <c>figures/&lt;stem&gt;.png</c> and <c>.svg</c>.</summary>
public sealed record RenderedFigure(string FileStem, string Label, string Caption, int Width, int Height, byte[] Png, string Svg);
