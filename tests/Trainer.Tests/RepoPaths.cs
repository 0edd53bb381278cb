namespace RlTrainer.Trainer.Tests;

/// Paths inside the repository (bundled data and model), found by walking up to RlTrainer.sln.
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Of(params string[] parts) => Path.Combine(new[] { Root }.Concat(parts).ToArray());

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "RlTrainer.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("RlTrainer.sln not found above the test folder.");
    }
}
