namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// The "sample more prompts until the batch is full" policy of DAPO dynamic sampling, as pure bookkeeping: the
/// training loop generates a batch, calls <see cref="Offer"/>, keeps the returned groups, and repeats while
/// <see cref="ShouldSampleMore"/>. When <see cref="IsExhausted"/>, verl raises; the loop decides (fail, or train on
/// the partial batch as FeynRL effectively does).
/// </summary>
public sealed class DynamicSamplingFiller
{
    private readonly int _maxGenerationBatches;

    /// <param name="targetGroups">Prompt groups the training batch needs (verl train_batch_size).</param>
    /// <param name="maxGenerationBatches">Generation batches allowed; 0 = unlimited (verl max_num_gen_batches).</param>
    public DynamicSamplingFiller(int targetGroups, int maxGenerationBatches)
    {
        if (targetGroups < 1) throw new ArgumentOutOfRangeException(nameof(targetGroups), targetGroups, "the batch needs at least one group.");
        if (maxGenerationBatches < 0)
            throw new ArgumentOutOfRangeException(nameof(maxGenerationBatches), maxGenerationBatches, "use 0 for unlimited, not a negative count.");
        TargetGroups = targetGroups;
        _maxGenerationBatches = maxGenerationBatches;
    }

    public int TargetGroups { get; }
    /// <summary>Groups accepted so far (never more than <see cref="TargetGroups"/>).</summary>
    public int KeptGroups { get; private set; }
    /// <summary>Zero-variance groups rejected so far (a metric).</summary>
    public int DroppedGroups { get; private set; }
    /// <summary>Groups with signal that arrived after the batch was full and were cut off, as verl truncates.</summary>
    public int SurplusGroups { get; private set; }
    /// <summary>Generation batches offered so far.</summary>
    public int GenerationBatches { get; private set; }

    public bool IsFull => KeptGroups >= TargetGroups;
    public bool IsExhausted => !IsFull && _maxGenerationBatches > 0 && GenerationBatches >= _maxGenerationBatches;
    public bool ShouldSampleMore => !IsFull && !IsExhausted;

    /// <summary>
    /// Takes one generation batch's rewards (contiguous groups of <paramref name="groupSize"/>, NaN = unscorable) and
    /// returns the indices, within this batch and in order, of the groups to train on: those with signal, up to the
    /// number still missing.
    /// </summary>
    public IReadOnlyList<int> Offer(ReadOnlySpan<double> rewards, int groupSize)
    {
        if (!ShouldSampleMore)
            throw new InvalidOperationException($"no more generation batches are wanted (kept {KeptGroups}/{TargetGroups} after {GenerationBatches} batches).");
        var keep = DynamicSampling.KeepGroups(rewards, groupSize);
        GenerationBatches++;
        var taken = new List<int>();
        for (int g = 0; g < keep.Length; g++)
        {
            if (!keep[g]) { DroppedGroups++; continue; }
            if (IsFull) { SurplusGroups++; continue; }
            taken.Add(g);
            KeptGroups++;
        }
        return taken;
    }
}
