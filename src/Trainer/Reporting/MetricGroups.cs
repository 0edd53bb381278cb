namespace RlTrainer.Trainer.Reporting;

/// <summary>
/// How metrics.jsonl keys are grouped into report sections: the prefix before the first '/' ("reward/mean" →
/// "reward"); keys without '/' ("accuracy", "lr", "grad_norm", "rss_mib") form the "training" group. Any new prefix
/// ("weights/", "replay/", "pruning/") becomes a group of its own with no change here. Groups people look at first
/// come first; the rest follow alphabetically.
/// </summary>
public static class MetricGroups
{
    /// <summary>The group of keys that have no '/'.</summary>
    public const string Training = "training";

    /// <summary>Keys that place a line (step, type, time) rather than measure something; never charted.</summary>
    public static readonly IReadOnlySet<string> LineFields = new HashSet<string>(StringComparer.Ordinal) { "step", "type", "time_s" };

    private static readonly string[] Leading = { "eval", "reward", Training, "objective", "completion", "advantage", "groups" };

    public static string GroupOf(string key)
    {
        int slash = key.IndexOf('/');
        return slash > 0 ? key[..slash] : Training;
    }

    /// <summary>Sorts group names: the leading ones in their fixed order, then the others alphabetically.</summary>
    public static IEnumerable<string> Order(IEnumerable<string> groups) => groups.Distinct(StringComparer.Ordinal)
        .OrderBy(g => Array.IndexOf(Leading, g) is var i && i >= 0 ? i : Leading.Length)
        .ThenBy(g => g, StringComparer.Ordinal);
}
