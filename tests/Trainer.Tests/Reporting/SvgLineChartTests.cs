using System.Xml.Linq;
using RlTrainer.Trainer.Reporting;
using static RlTrainer.Trainer.Tests.Reporting.ReportXml;

namespace RlTrainer.Trainer.Tests.Reporting;

public class SvgLineChartTests
{
    // Plot area of the 420×240 view box: x 58..406, y 206 (bottom) .. 12 (top).
    private static XElement Render(params ChartSeries[] series) =>
        new SvgLineChart("t", "step", ChartXAxis.LinearIntegers, 0.5).Render(series);

    private static XElement[] Paths(XElement figure, string kind) =>
        figure.Descendants(S + "path").Where(p => HasClass(p, kind)).ToArray();

    [Fact]
    public void Points_LandWhereTheAxesSay()
    {   // x 0..10 (ticks 0,2,..,10), y 0..1 (ticks 0,.2,..,1): (5, .5) → (58 + 348/2, 206 − 194/2)
        var fig = Render(new ChartSeries("a", "#000", new[] { (0.0, 0.0), (5.0, 0.5), (10.0, 1.0) }, Smooth: false, Markers: false));
        Assert.Equal(new[] { (58.0, 206.0), (232.0, 109.0), (406.0, 12.0) }, PathPoints(Paths(fig, "line").Single()));
        var yLabels = fig.Descendants(S + "text").Where(t => Attr(t, "text-anchor") == "end" && t.Value != "step").Select(t => t.Value);
        Assert.Equal(new[] { "0", "0.2", "0.4", "0.6", "0.8", "1.0" }, yLabels);
    }

    [Fact]
    public void Smoothed_DrawsRawFaintAndEmaOnTop()
    {   // y 1,2,3 with w = .5 → EMA 1, 1.6667, 2.428571; y axis [1, 3] → py = 206 − (v − 1)/2·194
        var fig = Render(new ChartSeries("a", "#000", new[] { (0.0, 1.0), (1.0, 2.0), (2.0, 3.0) }, Smooth: true, Markers: false));
        Assert.Equal(new[] { (58.0, 206.0), (232.0, 109.0), (406.0, 12.0) }, PathPoints(Paths(fig, "raw").Single()));
        var smooth = PathPoints(Paths(fig, "smoothed").Single());
        Assert.Equal(58.0, smooth[0].X);
        Assert.Equal(206.0, smooth[0].Y);
        Assert.Equal(141.33, smooth[1].Y, 2);  // 206 − (1.25/.75 − 1)/2·194 = 141.333
        Assert.Equal(67.43, smooth[2].Y, 2);   // 206 − (2.125/.875 − 1)/2·194 = 67.428
    }

    [Fact]
    public void Legend_OnlyWithSeveralSeries()
    {
        var one = Render(new ChartSeries("a", "#111", new[] { (1.0, 1.0), (2.0, 2.0) }, true, false));
        var two = Render(new ChartSeries("a", "#111", new[] { (1.0, 1.0), (2.0, 2.0) }, true, false),
                         new ChartSeries("b", "#222", new[] { (1.0, 3.0), (3.0, 1.0) }, true, false));
        Assert.Empty(WithClass(one, "div", "legend"));
        Assert.Equal(new[] { "a", "b" }, WithClass(two, "div", "legend").Single().Elements(H + "span").Select(s => s.Value));
        Assert.Equal(new[] { "a", "b" }, two.Descendants(S + "g").Where(g => HasClass(g, "series")).Select(g => Attr(g, "data-series")));
    }

    [Fact]
    public void LongSeries_IsThinned_SpikeKept()
    {   // 5000 points of 0/1 and one spike of 10: y axis [0, 10], so the spike is drawn at the top (12)
        var pts = Enumerable.Range(0, 5000).Select(i => ((double)i, i == 2345 ? 10.0 : i % 2)).ToArray();
        var raw = PathPoints(Paths(Render(new ChartSeries("a", "#000", pts, true, false)), "raw").Single());
        Assert.InRange(raw.Length, 2, 2 * 349); // at most a low and a high point per pixel column of 348 px (+ the edge)
        Assert.Equal(12.0, raw.Min(p => p.Y));
        Assert.Equal(206.0, raw.Max(p => p.Y));
        Assert.True(raw.Zip(raw.Skip(1)).All(p => p.First.X <= p.Second.X), "thinned points stay in x order");
    }

    [Fact]
    public void Log2Axis_TicksArePowersOfTwo()
    {   // log2 k in [0, 3] → ticks 0..3 labelled 1, 2, 4, 8; k = 4 → 58 + 2/3·348 = 290
        var fig = new SvgLineChart("pass@k", "k", ChartXAxis.Log2).Render(new[]
            { new ChartSeries("m", "#000", new[] { (1.0, 0.1), (2.0, 0.2), (4.0, 0.3), (8.0, 0.35) }, false, true) });
        var xLabels = fig.Descendants(S + "text").Where(t => Attr(t, "text-anchor") == "middle").Select(t => t.Value);
        Assert.Equal(new[] { "1", "2", "4", "8" }, xLabels);
        var dots = fig.Descendants(S + "circle").ToArray();
        Assert.Equal(4, dots.Length);
        Assert.Equal("290", Attr(dots[2], "cx"));
        Assert.Equal("m: k 4 = 0.3", dots[2].Element(S + "title")!.Value);
    }

    [Fact]
    public void NoFiniteValues_SaysSo()
    {
        var fig = Render(new ChartSeries("a", "#000", new[] { (1.0, double.NaN) }, true, false));
        Assert.Empty(fig.Descendants(S + "svg"));
        Assert.Equal("no values", WithClass(fig, "p", "empty").Single().Value);
    }
}
