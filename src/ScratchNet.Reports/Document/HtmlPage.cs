using System.Globalization;
using System.Net;
using Markdig;
using Markdig.Extensions.Figures;
using Markdig.Extensions.Tables;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using ScratchNet.Reports.Figures;

namespace ScratchNet.Reports.Document;

/// <summary>
/// <c>report.html</c>: <c>report.md</c> rendered by Markdig (pipe tables; raw HTML off, so every string is encoded)
/// in one self-contained page: inline CSS, figures as base64 data URIs, no external resource. Three things the
/// Markdown leaves to the reader are added to its syntax tree first: each figure (its image paragraph and caption
/// paragraph) becomes a <c>&lt;figure&gt;</c> with the PNG embedded and no link to the SVG file; numbers and verdicts in
/// table cells get a class (right-aligned; same, close and differs coloured); the smoke-run quote becomes a banner.
/// A tiny inline script records on &lt;body&gt; how many images decoded (<c>data-images-loaded="N/M"</c>), which the
/// browser test reads.
/// </summary>
public static class HtmlPage
{
    private const string Style = """
        body{font-family:"DejaVu Sans","Liberation Sans",Arial,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
        h1{font-size:1.7em}h2{margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.2em}
        table{border-collapse:collapse;margin:1em 0;font-size:.9em}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}
        th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
        td.same{color:#176f2c;font-weight:bold}td.differs{color:#b00020;font-weight:bold}td.close{color:#8a5a00;font-weight:bold}
        .banner{background:#fff3cd;border:2px solid #d39e00;padding:.8em 1em;font-weight:bold;margin:1em 0}.banner p{margin:0}
        figure{margin:1.5em 0}figure p{margin:0}figure img{max-width:100%;height:auto;border:1px solid #eee}figcaption{font-size:.9em;color:#444}
        """;

    private const string ImageCheck = """
        window.addEventListener('load',function(){var ok=0,all=document.images;for(var i=0;i<all.length;i++){if(all[i].complete&&all[i].naturalWidth>0)ok++;}document.body.setAttribute('data-images-loaded',ok+'/'+all.length);});
        """;

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseFigures().DisableHtml().Build();

    /// <summary>The page for <paramref name="markdown"/> (from <see cref="MarkdownRenderer"/>), whose <c>figures/STEM.png</c> links are <paramref name="figures"/>.</summary>
    public static string Render(string title, string markdown, IReadOnlyList<RenderedFigure> figures)
    {
        var tree = Markdown.Parse(markdown, Pipeline);
        EmbedFigures(tree, figures);
        MarkCells(tree);
        foreach (var quote in tree.Descendants<QuoteBlock>())
        {
            quote.GetAttributes().AddClass("banner");
            quote.GetAttributes().AddProperty("role", "alert");
        }

        using var html = new StringWriter(CultureInfo.InvariantCulture);
        html.Write($"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{WebUtility.HtmlEncode(title)}</title>\n" +
            $"<style>{Style}</style>\n<script>{ImageCheck}</script>\n</head>\n<body>\n");
        var renderer = new Markdig.Renderers.HtmlRenderer(html);
        Pipeline.Setup(renderer);
        renderer.Render(tree);
        html.Write("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>
    /// <c>![label](figures/STEM.png)</c> followed by the paragraph <c>*label: caption* ([SVG](…))</c> becomes
    /// <c>&lt;figure id="STEM"&gt;</c> holding the image as a data URI and the emphasised caption.
    /// </summary>
    private static void EmbedFigures(MarkdownDocument tree, IReadOnlyList<RenderedFigure> figures)
    {
        var byLink = figures.ToDictionary(f => $"{ReportWriter.FiguresFolder}/{f.FileStem}.png", StringComparer.Ordinal);
        foreach (var image in tree.Descendants<ParagraphBlock>().ToList())
        {
            if (image.Inline?.FirstChild is not LinkInline { IsImage: true } link || link.NextSibling is not null
                || !byLink.TryGetValue(link.Url ?? "", out var figure) || image.Parent is not { } parent)
                continue;
            link.Url = "data:image/png;base64," + Convert.ToBase64String(figure.Png);
            link.GetAttributes().AddProperty("width", figure.Width.ToString(CultureInfo.InvariantCulture));
            link.GetAttributes().AddProperty("height", figure.Height.ToString(CultureInfo.InvariantCulture));
            var index = parent.IndexOf(image);
            var block = new Figure(null!);
            block.GetAttributes().Id = figure.FileStem;
            parent.RemoveAt(index);
            block.Add(image);
            if (index < parent.Count && parent[index] is ParagraphBlock { Inline.FirstChild: EmphasisInline caption } captionParagraph)
            {
                parent.RemoveAt(index);
                caption.Remove();
                block.Add(new FigureCaption(null!) { Inline = new ContainerInline().AppendChild(caption) });
            }
            parent.Insert(index, block);
        }
    }

    /// <summary>Numbers align right; verdicts are coloured so a difference stands out.</summary>
    private static void MarkCells(MarkdownDocument tree)
    {
        foreach (var row in tree.Descendants<TableRow>().Where(row => !row.IsHeader))
        {
            foreach (var cell in row.OfType<TableCell>())
            {
                var text = string.Concat(cell.Descendants<LiteralInline>().Select(literal => literal.Content.ToString()));
                var kind = IsNumber(text) ? "num"
                    : text.StartsWith("same", StringComparison.Ordinal) ? "same"
                    : text.StartsWith("differs", StringComparison.Ordinal) ? "differs"
                    : text.StartsWith("close", StringComparison.Ordinal) ? "close"
                    : null;
                if (kind is not null)
                    cell.GetAttributes().AddClass(kind);
            }
        }
    }

    private static bool IsNumber(string cell) =>
        cell.Length > 0 && double.TryParse(cell.Replace('−', '-'), NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
