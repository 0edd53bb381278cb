using System.Xml.Linq;
using RlTrainer.Trainer.Reporting;

namespace RlTrainer.Trainer.Tests.Reporting;

/// Parses a report as XML (it is written as well-formed XHTML) and finds elements by class and data attributes.
internal static class ReportXml
{
    public static readonly XNamespace H = HtmlPage.Xhtml;
    public static readonly XNamespace S = HtmlPage.Svg;

    public static XDocument Parse(string html)
    {
        Assert.StartsWith("<!DOCTYPE html>", html);
        return XDocument.Parse(html);
    }

    public static bool HasClass(XElement e, string c) => ((string?)e.Attribute("class"))?.Split(' ').Contains(c) == true;

    public static IEnumerable<XElement> WithClass(XContainer d, string name, string c) => d.Descendants(H + name).Where(e => HasClass(e, c));

    public static string? Attr(XElement e, string name) => (string?)e.Attribute(name);

    /// The points of an SVG path written as "Mx yLx y...".
    public static (double X, double Y)[] PathPoints(XElement path) => ((string)path.Attribute("d")!)
        .Split(new[] { 'M', 'L' }, StringSplitOptions.RemoveEmptyEntries)
        .Select(p => p.Split(' '))
        .Select(p => (double.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)))
        .ToArray();
}
