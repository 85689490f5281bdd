using System.Net;
using System.Text;

namespace ScratchNet.Reports.Document;

/// <summary>
/// <c>report.html</c>: one self-contained file (figures as base64 data URIs, inline CSS, no external resource). Every
/// string is HTML-encoded. A tiny inline script records on &lt;body&gt; how many images decoded
/// (<c>data-images-loaded="N/M"</c>), which the browser test reads.
/// </summary>
public static class HtmlRenderer
{
    private const string Style = """
        body{font-family:"DejaVu Sans","Liberation Sans",Arial,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
        h1{font-size:1.7em}h2{margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.2em}
        table{border-collapse:collapse;margin:1em 0;font-size:.9em}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}
        th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
        td.same{color:#176f2c;font-weight:bold}td.differs{color:#b00020;font-weight:bold}td.close{color:#8a5a00;font-weight:bold}
        .banner{background:#fff3cd;border:2px solid #d39e00;padding:.8em 1em;font-weight:bold;margin:1em 0}
        figure{margin:1.5em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}figcaption{font-size:.9em;color:#444}
        """;

    private const string ImageCheck = """
        window.addEventListener('load',function(){var ok=0,all=document.images;for(var i=0;i<all.length;i++){if(all[i].complete&&all[i].naturalWidth>0)ok++;}document.body.setAttribute('data-images-loaded',ok+'/'+all.length);});
        """;

    public static string Render(ReportDocument document)
    {
        var html = new StringBuilder(1 << 20);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(Encode(document.Title))
            .Append("</title>\n<style>").Append(Style).Append("</style>\n<script>").Append(ImageCheck).Append("</script>\n</head>\n<body>\n<h1>")
            .Append(Encode(document.Title)).Append("</h1>\n");
        foreach (var block in document.Blocks)
        {
            switch (block)
            {
                case Heading h:
                    var tag = $"h{Math.Clamp(h.Level + 1, 2, 6)}";
                    html.Append('<').Append(tag).Append('>').Append(Encode(h.Text)).Append("</").Append(tag).Append(">\n");
                    break;
                case Paragraph p:
                    html.Append("<p>").Append(Encode(p.Text)).Append("</p>\n");
                    break;
                case Banner b:
                    html.Append("<div class=\"banner\" role=\"alert\">⚠ ").Append(Encode(b.Text)).Append("</div>\n");
                    break;
                case Table t:
                    AppendTable(html, t);
                    break;
                case FigureBlock f:
                    html.Append("<figure id=\"").Append(Encode(f.Figure.FileStem)).Append("\"><img src=\"data:image/png;base64,")
                        .Append(Convert.ToBase64String(f.Figure.Png)).Append("\" width=\"").Append(f.Figure.Width).Append("\" height=\"").Append(f.Figure.Height)
                        .Append("\" alt=\"").Append(Encode(f.Figure.Label + ": " + f.Figure.Caption)).Append("\"><figcaption><b>")
                        .Append(Encode(f.Figure.Label)).Append(".</b> ").Append(Encode(f.Figure.Caption)).Append("</figcaption></figure>\n");
                    break;
                default:
                    throw new ArgumentException($"Unknown block {block.GetType().Name}.", nameof(document));
            }
        }
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendTable(StringBuilder html, Table table)
    {
        html.Append("<table>\n<thead><tr>");
        foreach (var cell in table.Header)
            html.Append("<th>").Append(Encode(cell)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
                html.Append(CellTag(cell)).Append(Encode(cell)).Append("</td>");
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
    }

    /// <summary>Numbers align right; verdicts are coloured so a difference stands out.</summary>
    private static string CellTag(string cell) =>
        IsNumber(cell) ? "<td class=\"num\">"
        : cell.StartsWith("same", StringComparison.Ordinal) ? "<td class=\"same\">"
        : cell.StartsWith("differs", StringComparison.Ordinal) ? "<td class=\"differs\">"
        : cell.StartsWith("close", StringComparison.Ordinal) ? "<td class=\"close\">"
        : "<td>";

    private static bool IsNumber(string cell) =>
        cell.Length > 0 && double.TryParse(cell.Replace('−', '-'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
