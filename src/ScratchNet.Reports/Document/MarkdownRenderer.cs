using System.Text;

namespace ScratchNet.Reports.Document;

/// <summary><c>report.md</c>: figures are linked from <c>figures/</c> beside it.</summary>
public static class MarkdownRenderer
{
    public static string Render(ReportDocument document)
    {
        var text = new StringBuilder();
        text.Append("# ").Append(Inline(document.Title)).Append("\n\n");
        foreach (var block in document.Blocks)
        {
            switch (block)
            {
                case Heading h:
                    text.Append('#', h.Level + 1).Append(' ').Append(Inline(h.Text)).Append("\n\n");
                    break;
                case Paragraph p:
                    text.Append(Inline(p.Text)).Append("\n\n");
                    break;
                case Banner b:
                    text.Append("> **⚠ ").Append(Inline(b.Text)).Append("**\n\n");
                    break;
                case Table t:
                    AppendRow(text, t.Header);
                    AppendRow(text, t.Header.Select(_ => "---").ToList());
                    foreach (var row in t.Rows)
                        AppendRow(text, row);
                    text.Append('\n');
                    break;
                case FigureBlock f:
                    text.Append("![").Append(Inline(f.Figure.Label)).Append("](figures/").Append(f.Figure.FileStem).Append(".png)\n\n")
                        .Append('*').Append(Inline(f.Figure.Label)).Append(": ").Append(Inline(f.Figure.Caption)).Append("* ")
                        .Append("([SVG](figures/").Append(f.Figure.FileStem).Append(".svg))\n\n");
                    break;
                default:
                    throw new ArgumentException($"Unknown block {block.GetType().Name}.", nameof(document));
            }
        }
        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, IReadOnlyList<string> cells)
    {
        text.Append('|');
        foreach (var cell in cells)
            text.Append(' ').Append(Inline(cell).Replace("|", "\\|", StringComparison.Ordinal)).Append(" |");
        text.Append('\n');
    }

    /// <summary>Escapes the characters Markdown would read as markup; the report's text carries none of its own.</summary>
    private static string Inline(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text.Replace("\r", "", StringComparison.Ordinal).Replace('\n', ' '))
        {
            if (c is '\\' or '*' or '_' or '`' or '[' or ']' or '<' or '>' or '#')
                escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }
}
