using RlTrainer.Trainer.Checkpoints;

namespace RlTrainer.Trainer.Tests.Checkpoints;

public class AtomicDirectoryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("atomic-").FullName;
    public void Dispose() => Directory.Delete(_root, true);

    [Fact]
    public void FailedWrite_KeepsTheOldFolderWhole_AndLeavesNoTemp()
    {
        var target = Path.Combine(_root, "ckpt");
        AtomicDirectory.Write(target, d => File.WriteAllText(Path.Combine(d, "a.txt"), "v1"));
        Assert.Throws<IOException>(() => AtomicDirectory.Write(target, d =>
        {
            File.WriteAllText(Path.Combine(d, "a.txt"), "v2-partial");
            throw new IOException("disk full");
        }));
        Assert.Equal("v1", File.ReadAllText(Path.Combine(target, "a.txt")));
        Assert.Single(Directory.GetDirectories(_root));
    }

    [Fact]
    public void SecondWrite_ReplacesTheWholeFolder()
    {
        var target = Path.Combine(_root, "ckpt");
        AtomicDirectory.Write(target, d => File.WriteAllText(Path.Combine(d, "old.txt"), "x"));
        AtomicDirectory.Write(target, d => File.WriteAllText(Path.Combine(d, "new.txt"), "y"));
        Assert.False(File.Exists(Path.Combine(target, "old.txt")));
        Assert.Equal("y", File.ReadAllText(Path.Combine(target, "new.txt")));
    }
}
