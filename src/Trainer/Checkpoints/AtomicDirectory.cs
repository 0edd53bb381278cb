namespace RlTrainer.Trainer.Checkpoints;

/// <summary>
/// Writes a folder so that readers see either the old complete folder or the new complete one: write into a
/// sibling temporary folder, fsync every file, then rename over the target. A crash mid-write leaves only a
/// ".tmp-" folder behind, which the next write removes.
/// </summary>
public static class AtomicDirectory
{
    public const string TempPrefix = ".tmp-";

    public static void Write(string target, Action<string> writeInto)
    {
        target = Path.GetFullPath(target.TrimEnd(Path.DirectorySeparatorChar));
        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $"{TempPrefix}{Path.GetFileName(target)}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        string? old = null;
        try
        {
            writeInto(temp);
            foreach (var file in Directory.EnumerateFiles(temp, "*", SearchOption.AllDirectories))
                using (var fs = new FileStream(file, FileMode.Open, FileAccess.ReadWrite)) fs.Flush(flushToDisk: true);
            if (Directory.Exists(target))
            {
                // Two renames: the target name is never missing for long, and never half-written.
                old = Path.Combine(parent, $"{TempPrefix}old-{Path.GetFileName(target)}-{Guid.NewGuid():N}");
                Directory.Move(target, old);
            }
            Directory.Move(temp, target);
            if (old is not null) Directory.Delete(old, recursive: true);
        }
        catch
        {
            // A full disk or any other failure: drop the half-written copy and put a moved-away target back.
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            if (old is not null && !Directory.Exists(target) && Directory.Exists(old)) Directory.Move(old, target);
            throw;
        }
    }

    /// <summary>Removes leftovers of interrupted writes in <paramref name="parent"/>.</summary>
    public static void CleanLeftovers(string parent)
    {
        if (!Directory.Exists(parent)) return;
        foreach (var d in Directory.EnumerateDirectories(parent, TempPrefix + "*"))
            Directory.Delete(d, recursive: true);
    }
}
