using Microsoft.Extensions.FileSystemGlobbing;

namespace RlTrainer.Trainer.Data;

/// <summary>Expands the file names and glob patterns of <see cref="DataOptions.Files"/> into existing files.</summary>
public static class DataFiles
{
    /// <summary>
    /// Each pattern in order: a plain path must exist; a pattern with <c>*</c> or <c>?</c> must match at least one
    /// file, and its matches come in ordinal order. A file named twice is kept once, at its first place.
    /// </summary>
    /// <exception cref="DataFormatException">A path that does not exist or a glob that matches nothing.</exception>
    public static IReadOnlyList<string> Resolve(IEnumerable<string> patterns)
    {
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pattern in patterns)
        {
            foreach (var file in Expand(pattern))
            {
                if (seen.Add(Path.GetFullPath(file))) files.Add(file);
            }
        }

        return files;
    }

    private static IEnumerable<string> Expand(string pattern)
    {
        if (pattern.IndexOfAny(['*', '?']) < 0)
        {
            if (!File.Exists(pattern)) throw new DataFormatException(pattern, "no such file");
            return [pattern];
        }

        // The matcher wants a root folder and a relative pattern: the root is the part before the first wildcard.
        var normalized = pattern.Replace('\\', '/');
        var firstWildcard = normalized.IndexOfAny(['*', '?']);
        var slash = normalized.LastIndexOf('/', firstWildcard);
        var root = slash < 0 ? "." : normalized[..slash];
        if (root.Length == 0) root = "/";
        var relative = slash < 0 ? normalized : normalized[(slash + 1)..];
        if (!Directory.Exists(root)) throw new DataFormatException(pattern, $"folder '{root}' does not exist");

        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(relative);
        var matches = matcher.GetResultsInFullPath(root)
            .Select(full => slash < 0 ? Path.GetRelativePath(".", full) : Path.Combine(root, Path.GetRelativePath(root, full)))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();
        if (matches.Count == 0) throw new DataFormatException(pattern, "the pattern matches no file");
        return matches;
    }
}
