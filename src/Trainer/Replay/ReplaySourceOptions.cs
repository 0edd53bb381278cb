namespace RlTrainer.Trainer.Replay;

/// <summary>One replayed data set: its files, how its items are trained, and its static weight.</summary>
public sealed class ReplaySourceOptions
{
    /// <summary>Name of the source's task in metrics (<c>replay/lambda/&lt;Name&gt;</c>) and checkpoints. Required; not "main".</summary>
    public string Name { get; set; } = "";
    /// <summary>Parquet files or globs in any shape the Data section reads (verl, GSM8K, MATH). Required.</summary>
    public List<string> Files { get; set; } = [];
    /// <summary>RL, SFT, or Auto (SFT when every row has a target completion). Default Auto.</summary>
    public ReplayKind Kind { get; set; } = ReplayKind.Auto;
    /// <summary>λ of this source's task with <see cref="ReplayWeighting.Static"/>. Default 1.</summary>
    public double Weight { get; set; } = 1.0;
    /// <summary>Seed of the source's epoch shuffle. Default 0.</summary>
    public long Seed { get; set; }
}
