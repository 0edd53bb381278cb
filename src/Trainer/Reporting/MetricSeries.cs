namespace RlTrainer.Trainer.Reporting;

/// <summary>
/// All values of one metrics.jsonl key, ordered by step. <paramref name="LineType"/> is the "type" of the lines it came
/// from ("train", "eval", ...); <paramref name="Order"/> is where the key first appeared, so charts keep the order the
/// trainer writes (mean before std).
/// </summary>
public sealed record MetricSeries(string Key, string LineType, int Order, IReadOnlyList<MetricPoint> Points)
{
    /// <summary>The chart group: the key's prefix before the first '/' (see <see cref="MetricGroups"/>).</summary>
    public string Group => MetricGroups.GroupOf(Key);
}
