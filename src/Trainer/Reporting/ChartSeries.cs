namespace RlTrainer.Trainer.Reporting;

/// <summary>One line of a chart: its legend name and colour, its points in x order, whether it is drawn smoothed
/// (raw values faint behind an EMA line) and whether every point gets a dot (sparse series such as evals).</summary>
public sealed record ChartSeries(string Name, string Color, IReadOnlyList<(double X, double Y)> Points, bool Smooth, bool Markers);
