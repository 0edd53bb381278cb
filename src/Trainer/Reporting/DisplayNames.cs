namespace RlTrainer.Trainer.Reporting;

/// <summary>Short legend names for paths: the last path part, with parent parts added until different paths get
/// different names ("a/run", "b/run"). A path given twice keeps its short name and, unless told otherwise, is numbered
/// ("run #2").</summary>
public static class DisplayNames
{
    public static string[] Of(IReadOnlyList<string> paths, bool numberRepeats = true)
    {
        var distinct = paths.Distinct(StringComparer.Ordinal).ToArray();
        var parts = distinct.Select(p => p.Replace('\\', '/').TrimEnd('/').Split('/', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        var shortNames = new string[distinct.Length];
        int deepest = parts.Select(p => p.Length).DefaultIfEmpty(0).Max();
        for (int depth = 1; ; depth++)
        {
            for (int i = 0; i < distinct.Length; i++)
                shortNames[i] = parts[i].Length == 0 ? distinct[i] : string.Join('/', parts[i].TakeLast(depth));
            if (shortNames.Distinct(StringComparer.Ordinal).Count() == shortNames.Length || depth >= deepest) break;
        }
        var byPath = distinct.Select((p, i) => (p, shortNames[i])).ToDictionary(x => x.p, x => x.Item2, StringComparer.Ordinal);
        var names = paths.Select(p => byPath[p]).ToArray();
        return numberRepeats ? NumberRepeats(names) : names;
    }

    /// <summary>Second and later copies of a name get " #2", " #3", ...</summary>
    public static string[] NumberRepeats(IReadOnlyList<string> names)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        return names.Select(n =>
        {
            int count = seen.GetValueOrDefault(n) + 1;
            seen[n] = count;
            return count > 1 ? $"{n} #{count}" : n;
        }).ToArray();
    }
}
