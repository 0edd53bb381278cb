using static TorchSharp.torch;

namespace RlTrainer.Trainer.Contracts;

/// <summary>
/// The one layout of prompt + continuation rows for a teacher-forced forward: each row is its prompt then its
/// continuation (a completion, an SFT target), right-padded to the longest row T. Per-token values of the
/// continuation sit in a (b, T−1) block aligned with the next-token log-probs: position p + j − 1 predicts
/// continuation token j of a row with a prompt of p tokens, and every other position holds 0.
/// </summary>
public sealed class RightPaddedBatch
{
    private readonly IReadOnlyList<int>[] _prompts;
    private readonly IReadOnlyList<int>[] _continuations;

    public RightPaddedBatch(IReadOnlyList<IReadOnlyList<int>> prompts, IReadOnlyList<IReadOnlyList<int>> continuations)
    {
        if (prompts.Count != continuations.Count || prompts.Count == 0)
            throw new ArgumentException($"one continuation per prompt and at least one row expected; got {prompts.Count} prompts, {continuations.Count} continuations.");
        _prompts = prompts.ToArray();
        _continuations = continuations.ToArray();
        Length = Enumerable.Range(0, Rows).Max(i => _prompts[i].Count + _continuations[i].Count);
    }

    /// <summary>The rollout samples' prompts and completions.</summary>
    public static RightPaddedBatch Of(IReadOnlyList<RolloutSample> rows) =>
        new(rows.Select(r => r.PromptIds).ToArray(), rows.Select(r => r.CompletionIds).ToArray());

    /// <summary>b, the number of rows.</summary>
    public int Rows => _prompts.Length;

    /// <summary>T, the longest prompt + continuation.</summary>
    public int Length { get; }

    /// <summary>Token ids (b, T) int64, 0 after a row's end, and the attention mask (b, T) bool.</summary>
    public (Tensor Ids, Tensor Mask) Tokens(Device device)
    {
        int b = Rows, t = Length;
        var ids = new long[b * t];
        var mask = new bool[b * t];
        for (int i = 0; i < b; i++)
        {
            int p = _prompts[i].Count;
            for (int j = 0; j < p; j++) { ids[i * t + j] = _prompts[i][j]; mask[i * t + j] = true; }
            for (int j = 0; j < _continuations[i].Count; j++) { ids[i * t + p + j] = _continuations[i][j]; mask[i * t + p + j] = true; }
        }
        return (tensor(ids, new long[] { b, t }, device: device), tensor(mask, new long[] { b, t }, device: device));
    }

    /// <summary>(b, T−1) float32 with <paramref name="value"/>(row, j) where continuation token j is predicted, 0 elsewhere.
    /// A token at position 0 (no prompt) is predicted by nothing and is left out.</summary>
    public Tensor PerContinuationToken(Func<int, int, float> value, Device device)
    {
        int b = Rows, t = Length;
        var values = new float[b * Math.Max(0, t - 1)];
        for (int i = 0; i < b; i++)
        {
            int p = _prompts[i].Count;
            for (int j = Math.Max(0, 1 - p); j < _continuations[i].Count; j++) values[i * (t - 1) + p + j - 1] = value(i, j);
        }
        return tensor(values, new long[] { b, Math.Max(0, t - 1) }, device: device);
    }

    /// <summary>Row <paramref name="row"/>'s continuation values out of a flattened (b, T−1) block; the inverse of
    /// <see cref="PerContinuationToken"/> (a token predicted by nothing reads 0).</summary>
    public float[] ContinuationOf(ReadOnlySpan<float> flat, int row)
    {
        int p = _prompts[row].Count, t = Length;
        var values = new float[_continuations[row].Count];
        for (int j = Math.Max(0, 1 - p); j < values.Length; j++) values[j] = flat[row * (t - 1) + p + j - 1];
        return values;
    }
}
