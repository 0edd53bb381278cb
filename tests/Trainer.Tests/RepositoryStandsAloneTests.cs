namespace RlTrainer.Trainer.Tests;

/// The repository stands alone: no source, test, doc or tool may point at notes kept outside it. Formulas are cited
/// from docs/algorithms.md and expected values from tools/reference/, so a reference to a sibling folder of the
/// checkout is a dangling link for everyone else.
public class RepositoryStandsAloneTests
{
    private static readonly string[] Forbidden = { "../shared", "/work/shared", "specs/" };

    private static readonly string[] Roots = { "src", "tests", "docs", "tools", "configs" };

    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj", "node_modules", ".git" };

    private static readonly HashSet<string> TextExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".cs", ".md", ".py", ".sh", ".json", ".jsonc", ".jsonl", ".txt", ".csproj", ".props", ".targets", ".mjs", ".js",
        ".yml", ".yaml", ".toml", ".xml",
    };

    [Fact]
    public void NoFileReferencesNotesOutsideTheRepository()
    {
        var self = Path.GetFullPath(RepoPaths.Of("tests", "Trainer.Tests", nameof(RepositoryStandsAloneTests) + ".cs"));
        var files = Roots.Select(r => RepoPaths.Of(r)).Where(Directory.Exists).SelectMany(TextFiles)
            .Append(RepoPaths.Of("README.md"))
            .Where(f => !string.Equals(Path.GetFullPath(f), self, StringComparison.Ordinal))
            .ToList();
        Assert.True(files.Count > 100, $"only {files.Count} files found under {RepoPaths.Root}: is the repository root right?");

        var hits = new List<string>();
        foreach (var file in files)
        {
            int number = 0;
            foreach (var line in File.ReadLines(file))
            {
                number++;
                foreach (var pattern in Forbidden)
                    if (line.Contains(pattern, StringComparison.Ordinal))
                        hits.Add($"{Path.GetRelativePath(RepoPaths.Root, file)}:{number}: \"{pattern}\" in: {line.Trim()}");
            }
        }
        Assert.True(hits.Count == 0,
            "files point outside the repository (cite docs/algorithms.md or tools/reference/ instead):\n" + string.Join("\n", hits));
    }

    private static IEnumerable<string> TextFiles(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder))
            if (TextExtensions.Contains(Path.GetExtension(file))) yield return file;
        foreach (var sub in Directory.EnumerateDirectories(folder))
            if (!SkippedFolders.Contains(Path.GetFileName(sub)))
                foreach (var file in TextFiles(sub)) yield return file;
    }
}
