using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Sft;

namespace RlTrainer.Trainer.Replay;

/// <summary>
/// One replay source as loaded: its examples, how they are trained (RL or SFT, resolved from <see cref="ReplayKind.Auto"/>),
/// and its own epoch sampler, whose cursor is checkpointed so a resumed run replays the same items.
/// </summary>
public sealed class ReplaySource
{
    private ReplaySource(string name, ReplayKind kind, double staticWeight, IReadOnlyList<RlExample> examples, long seed)
    {
        Name = name;
        Kind = kind;
        StaticWeight = staticWeight;
        Examples = examples;
        Sampler = new EpochSampler(examples, seed);
    }

    public string Name { get; }

    /// <summary><see cref="ReplayKind.Rl"/> or <see cref="ReplayKind.Sft"/>, never Auto.</summary>
    public ReplayKind Kind { get; }

    /// <summary>λ of this source under static weighting.</summary>
    public double StaticWeight { get; }

    public IReadOnlyList<RlExample> Examples { get; }

    public EpochSampler Sampler { get; }

    /// <summary>Reads the source's files (any shape the Data section reads) and resolves its kind.</summary>
    /// <param name="index">Position in Replay:Sources, for messages.</param>
    /// <exception cref="InvalidDataException">Kind is Sft but a row has no target completion (file and row named).</exception>
    public static ReplaySource Load(ReplaySourceOptions options, int index)
    {
        var examples = new ParquetExampleReader(new DataOptions { Files = options.Files }).ReadExamples().ToList();
        if (examples.Count == 0)
            throw new InvalidDataException($"Replay:Sources:{index} ('{options.Name}'): the files [{string.Join(", ", options.Files)}] hold no rows.");
        var kind = options.Kind;
        if (kind == ReplayKind.Auto) kind = examples.All(e => e.Target is not null) ? ReplayKind.Sft : ReplayKind.Rl;
        if (kind == ReplayKind.Sft && examples.FirstOrDefault(e => e.Target is null) is { } missing)
            throw new InvalidDataException($"Replay:Sources:{index}:Kind = Sft: {missing.SourceFile} row {missing.Index} has no target completion (verl extra_info target/solution, GSM8K answer, MATH solution).");
        return new ReplaySource(options.Name, kind, options.Weight, examples, options.Seed);
    }

    /// <summary>An SFT sequence from a row: the chat-templated prompt as context, the target plus end-of-turn as trained tokens (as `rltrainer sft` builds them).</summary>
    public static SftExample ToSft(RlExample example, PromptEncoder encoder) => new SftExampleEncoder(encoder).Encode(example);
}
