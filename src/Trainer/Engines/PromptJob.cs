using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Engines;

/// <summary>One HTTP generation request: <paramref name="N"/> completions of one prompt; sample j uses
/// <see cref="RowSeed"/>(Seed, j).</summary>
public sealed record PromptJob(IReadOnlyList<int> PromptIds, int N, int Seed)
{
    /// <summary>The seed of sample <paramref name="j"/> of an n-sample request: the request seed itself for j = 0, then a
    /// hash of (seed, j), so one seed gives n different but reproducible samples.</summary>
    public static int RowSeed(int seed, int j) => j == 0 ? seed : SampleSeeds.For(seed, -1, j);
}
