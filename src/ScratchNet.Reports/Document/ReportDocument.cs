using ScratchNet.Reports.Figures;

namespace ScratchNet.Reports.Document;

/// <summary>The report as plain blocks, rendered to Markdown (<see cref="MarkdownRenderer"/>), from which the HTML is made (<see cref="HtmlPage"/>), so both say the same thing.</summary>
public abstract record Block;

public sealed record Heading(int Level, string Text) : Block;

public sealed record Paragraph(string Text) : Block;

/// <summary>A warning the reader must not miss (e.g. a smoke run).</summary>
public sealed record Banner(string Text) : Block;

public sealed record Table(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) : Block;

public sealed record FigureBlock(RenderedFigure Figure) : Block;

/// <summary>A text file written beside the report (e.g. <c>seed-spread.json</c>).</summary>
public sealed record Attachment(string FileName, string Content);

public sealed record ReportDocument(string Title, IReadOnlyList<Block> Blocks, IReadOnlyList<RenderedFigure> Figures)
{
    public IReadOnlyList<Attachment> Attachments { get; init; } = [];
}
