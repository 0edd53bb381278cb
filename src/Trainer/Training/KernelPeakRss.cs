namespace RlTrainer.Trainer.Training;

/// <summary>
/// The kernel's own high-water mark of this process's resident set (VmHWM in /proc/self/status), which catches a
/// peak however briefly it lasts; writing 5 to /proc/self/clear_refs resets it, so one phase can be measured alone
/// (Linux ≥ 4.0). Where /proc is missing both return null / false and callers fall back to <see cref="RssSampler"/>.
/// </summary>
public static class KernelPeakRss
{
    /// <summary>Resets the high-water mark to the current RSS; false where the kernel does not allow it.</summary>
    public static bool Reset()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>Peak RSS in bytes since start or the last <see cref="Reset"/>; null without /proc.</summary>
    public static long? Read()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path)) return null;
        foreach (var line in File.ReadLines(path))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        return null;
    }
}
