using System.Globalization;
using System.Xml.Linq;

namespace RlTrainer.Trainer.Reporting;

/// <summary>
/// A line chart as inline SVG inside a &lt;figure class="chart"&gt;: caption, a legend when there are several series,
/// nice-number ticks on both axes with light grid lines, and per series either the EMA-smoothed line over its faint raw
/// values or the raw line with a dot per point. No script: point values show as native tooltips (&lt;title&gt;).
/// </summary>
public sealed class SvgLineChart(string title, string xLabel, ChartXAxis xAxis = ChartXAxis.LinearIntegers, double smoothing = 0.6)
{
    public const double Width = 420, Height = 240;
    /// <summary>The plot area inside the view box; axes labels live in the margins.</summary>
    public const double PlotLeft = 58, PlotRight = Width - 14, PlotTop = 12, PlotBottom = Height - 34;

    /// <summary>More points than this per line are thinned to the min and max of each pixel column.</summary>
    private const int MaxDrawnPoints = 2 * (int)(PlotRight - PlotLeft);

    public XElement Render(IReadOnlyList<ChartSeries> series, IEnumerable<XAttribute>? attributes = null)
    {
        var figure = HtmlPage.E("figure", new XAttribute("class", "chart"), attributes, HtmlPage.E("figcaption", title));
        if (series.Count > 1)
            figure.Add(HtmlPage.E("div", new XAttribute("class", "legend"), series.Select(s =>
                HtmlPage.E("span", HtmlPage.E("i", new XAttribute("style", $"background:{s.Color}"), ""), s.Name))));
        var points = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)
            && (xAxis != ChartXAxis.Log2 || p.X > 0)).ToArray();
        if (points.Length == 0)
        {
            figure.Add(HtmlPage.E("p", new XAttribute("class", "empty"), "no values"));
            return figure;
        }

        var xs = points.Select(p => X(p.X)).ToArray();
        var ys = points.Select(p => p.Y).ToArray();
        var xScale = NiceScale.Create(xs.Min(), xs.Max(), 6, extendToTicks: false, integerStep: true);
        var yScale = NiceScale.Create(ys.Min(), ys.Max(), 5);
        var svg = new XElement(HtmlPage.Svg + "svg",
            new XAttribute("viewBox", $"0 0 {Width} {Height}"), new XAttribute("role", "img"),
            new XElement(HtmlPage.Svg + "title", title));
        AddAxes(svg, xScale, yScale);
        foreach (var s in series) AddSeries(svg, s, xScale, yScale);
        figure.Add(svg);
        return figure;
    }

    /// <summary>The x value as placed on the axis (log2 of it for <see cref="ChartXAxis.Log2"/>).</summary>
    private double X(double x) => xAxis == ChartXAxis.Log2 ? Math.Log2(x) : x;

    /// <summary>Pixel position of an axis value (already through <see cref="X"/>) in the view box.</summary>
    public static (double Px, double Py) Map(double x, double y, NiceScale xScale, NiceScale yScale) =>
        (PlotLeft + (x - xScale.Min) / (xScale.Max - xScale.Min) * (PlotRight - PlotLeft),
         PlotBottom - (y - yScale.Min) / (yScale.Max - yScale.Min) * (PlotBottom - PlotTop));

    private void AddAxes(XElement svg, NiceScale xScale, NiceScale yScale)
    {
        var grid = new XElement(HtmlPage.Svg + "g", new XAttribute("class", "grid"));
        var labels = new XElement(HtmlPage.Svg + "g", new XAttribute("class", "ticks"));
        foreach (var t in yScale.Ticks)
        {
            var (_, py) = Map(xScale.Min, t, xScale, yScale);
            grid.Add(Line(PlotLeft, py, PlotRight, py));
            labels.Add(Text(PlotLeft - 6, py + 4, yScale.Format(t), "end"));
        }
        foreach (var t in xScale.Ticks)
        {
            var (px, _) = Map(t, yScale.Min, xScale, yScale);
            grid.Add(Line(px, PlotBottom, px, PlotBottom + 4));
            var label = xAxis == ChartXAxis.Log2 ? Math.Pow(2, t).ToString("0", CultureInfo.InvariantCulture) : xScale.Format(t);
            labels.Add(Text(px, PlotBottom + 16, label, "middle"));
        }
        labels.Add(Text(PlotRight, Height - 4, xLabel, "end"));
        var axes = new XElement(HtmlPage.Svg + "path", new XAttribute("class", "axis"),
            new XAttribute("d", $"M{N(PlotLeft)} {N(PlotTop)}V{N(PlotBottom)}H{N(PlotRight)}"));
        svg.Add(grid, axes, labels);
    }

    private void AddSeries(XElement svg, ChartSeries s, NiceScale xScale, NiceScale yScale)
    {
        var pts = s.Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y) && (xAxis != ChartXAxis.Log2 || p.X > 0))
            .Select(p => (X: X(p.X), p.Y)).ToArray();
        if (pts.Length == 0) return;
        var g = new XElement(HtmlPage.Svg + "g", new XAttribute("class", "series"), new XAttribute("data-series", s.Name),
            new XElement(HtmlPage.Svg + "title", s.Name));
        if (s.Smooth && pts.Length > 1)
        {
            var smoothed = EmaSmoothing.Apply(pts.Select(p => p.Y).ToArray(), smoothing);
            g.Add(PathOf(pts, s.Color, "raw", xScale, yScale));
            g.Add(PathOf(pts.Select((p, i) => (p.X, smoothed[i])).ToArray(), s.Color, "smoothed", xScale, yScale));
        }
        else g.Add(PathOf(pts, s.Color, "line", xScale, yScale));
        if (s.Markers || pts.Length == 1)
            foreach (var (x, y) in pts)
            {
                var (px, py) = Map(x, y, xScale, yScale);
                var shown = xAxis == ChartXAxis.Log2 ? Math.Pow(2, x) : x;
                g.Add(new XElement(HtmlPage.Svg + "circle", new XAttribute("cx", N(px)), new XAttribute("cy", N(py)),
                    new XAttribute("r", "2.6"), new XAttribute("fill", s.Color),
                    new XElement(HtmlPage.Svg + "title", $"{s.Name}: {xLabel} {shown.ToString("G6", CultureInfo.InvariantCulture)} = {y.ToString("G6", CultureInfo.InvariantCulture)}")));
            }
        svg.Add(g);
    }

    private static XElement PathOf((double X, double Y)[] pts, string color, string kind, NiceScale xScale, NiceScale yScale)
    {
        var mapped = pts.Select(p => Map(p.X, p.Y, xScale, yScale)).ToArray();
        if (mapped.Length > MaxDrawnPoints) mapped = Thin(mapped);
        var d = string.Concat(mapped.Select((p, i) => $"{(i == 0 ? 'M' : 'L')}{N(p.Px)} {N(p.Py)}"));
        return new XElement(HtmlPage.Svg + "path", new XAttribute("class", kind), new XAttribute("d", d),
            new XAttribute("stroke", color));
    }

    /// Keeps the lowest and highest point of each pixel column, in x order, so spikes survive thinning.
    private static (double Px, double Py)[] Thin((double Px, double Py)[] mapped) => mapped
        .GroupBy(p => (int)Math.Floor(p.Px))
        .SelectMany(col =>
        {
            var lo = col.MinBy(p => p.Py);
            var hi = col.MaxBy(p => p.Py);
            return lo.Px <= hi.Px ? new[] { lo, hi }.Distinct() : new[] { hi, lo }.Distinct();
        })
        .ToArray();

    private static XElement Line(double x1, double y1, double x2, double y2) => new(HtmlPage.Svg + "line",
        new XAttribute("x1", N(x1)), new XAttribute("y1", N(y1)), new XAttribute("x2", N(x2)), new XAttribute("y2", N(y2)));

    private static XElement Text(double x, double y, string text, string anchor) => new(HtmlPage.Svg + "text",
        new XAttribute("x", N(x)), new XAttribute("y", N(y)), new XAttribute("text-anchor", anchor), text);

    private static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
