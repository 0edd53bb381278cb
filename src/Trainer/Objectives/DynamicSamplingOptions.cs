using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// DAPO dynamic sampling: drop prompt groups whose rewards carry no signal and generate more until the batch is full
/// (verl <c>algorithm.filter_groups</c>). See <see cref="DynamicSamplingFiller"/>.
/// </summary>
public sealed class DynamicSamplingOptions
{
    public const string Section = "DynamicSampling";

    /// <summary>Filter zero-variance groups and refill (verl <c>filter_groups.enable</c>). Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Most generation batches per training batch (verl <c>max_num_gen_batches</c>); 0 = unlimited. Default 10 rather
    /// than verl's 0, because a data set the policy already solves would otherwise loop for ever.
    /// </summary>
    [Range(0, 10_000)]
    public int MaxGenerationBatches { get; set; } = 10;
}
