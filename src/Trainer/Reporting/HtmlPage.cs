using System.Text;
using System.Xml.Linq;

namespace RlTrainer.Trainer.Reporting;

/// <summary>
/// A self-contained report page: XHTML built with System.Xml.Linq (so it is well-formed and escaped by construction,
/// and tests can parse it as XML), one inline style sheet, inline SVG, no script and no external resource. Written
/// with an HTML5 doctype so browsers open it as ordinary HTML.
/// </summary>
public static class HtmlPage
{
    public static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";
    public static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>Series colours (Tableau 10): distinct for the first ten runs or models, then repeating.</summary>
    public static readonly IReadOnlyList<string> Palette =
        new[] { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf" };

    // HTML elements that must not have a closing tag; every other empty element gets one, because an HTML parser
    // reads "<div/>" as an open <div> that swallows what follows.
    private static readonly HashSet<string> VoidElements = new(StringComparer.Ordinal) { "br", "hr", "meta", "img", "col", "wbr" };

    // No '<', '>' or '&' here: the style element is raw text in HTML but would be escaped by the XML writer.
    private const string Css = """
        body{font-family:"DejaVu Sans",system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;background:#fff;max-width:1400px;margin:20px auto;padding:0 20px;font-size:14px}
        h1{font-size:22px;margin:0 0 4px}
        h2{font-size:18px;margin:30px 0 10px;padding-bottom:4px;border-bottom:1px solid #ddd}
        h3{font-size:15px;margin:20px 0 6px}
        .meta,.note{color:#666;font-size:12.5px}
        table{border-collapse:collapse;font-size:13px;margin:6px 0 10px}
        th,td{border:1px solid #ddd;padding:3px 9px;text-align:right;vertical-align:top}
        th{background:#f5f5f5}
        th.key,td.key{text-align:left;white-space:nowrap}
        td.text{text-align:left;word-break:break-all}
        tr.diff td{background:#fff8e1}
        .warning{background:#fff4e5;border:1px solid #f0c36d;border-radius:4px;padding:6px 12px;margin:8px 0;font-size:13px}
        .warning ul{margin:4px 0;padding-left:20px}
        .nav{font-size:13px}
        .nav a{color:#1f5fa8;text-decoration:none}
        details{margin:8px 0}
        summary{cursor:pointer;font-weight:600}
        .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(380px,1fr));gap:12px}
        figure.chart{margin:0;padding:8px 8px 2px;border:1px solid #e4e4e4;border-radius:4px}
        figcaption{font-size:13px;font-weight:600;font-family:"DejaVu Sans Mono",monospace}
        .legend{font-size:12px;color:#444;margin-top:2px}
        .legend span{margin-right:12px;white-space:nowrap}
        .legend i{display:inline-block;width:14px;height:3px;margin-right:5px;vertical-align:middle}
        .swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}
        svg{display:block;width:100%;height:auto}
        svg text{font-size:11px;fill:#555;font-family:"DejaVu Sans",sans-serif}
        svg .grid line{stroke:#eee;stroke-width:1}
        svg .axis{stroke:#999;fill:none;stroke-width:1}
        svg path.raw{fill:none;stroke-width:1;stroke-opacity:0.28}
        svg path.smoothed,svg path.line{fill:none;stroke-width:1.8;stroke-linejoin:round}
        p.empty{color:#999;font-size:12px}
        """;

    /// <summary>An XHTML element; content may be strings, attributes, elements or sequences of them (nulls skipped).</summary>
    public static XElement E(string name, params object?[] content) => new(Xhtml + name, content);

    /// <summary>The page as HTML text: doctype, head with title and style, then the body elements.</summary>
    public static string Render(string title, IEnumerable<XElement> body)
    {
        var html = new XElement(Xhtml + "html", new XAttribute("lang", "en"),
            E("head",
                E("meta", new XAttribute("charset", "utf-8")),
                E("meta", new XAttribute("name", "viewport"), new XAttribute("content", "width=device-width, initial-scale=1")),
                E("title", title),
                E("style", Css)),
            E("body", body));
        foreach (var e in html.DescendantsAndSelf().Where(e => e.Name.Namespace == Xhtml && e.IsEmpty && !VoidElements.Contains(e.Name.LocalName)))
            e.Value = "";
        return "<!DOCTYPE html>\n" + html.ToString(SaveOptions.DisableFormatting) + "\n";
    }

    /// <summary>Writes the page next to its final name and renames it over, so a browser reloading the report while
    /// the trainer refreshes it sees the old page or the new one, never half of one.</summary>
    public static void Write(string path, string html)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        File.WriteAllText(temp, html, new UTF8Encoding(false));
        File.Move(temp, full, overwrite: true);
    }
}
