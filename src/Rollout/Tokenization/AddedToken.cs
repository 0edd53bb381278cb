namespace RlTrainer.Rollout.Tokenization;

/// <summary>
/// One entry of tokenizer.json's added_tokens: a string matched whole in raw text before BPE and given its own id.
/// <paramref name="Special"/> tokens are the ones Decode drops when asked to skip special tokens.
/// </summary>
internal sealed record AddedToken(
    int Id, string Content, bool Special, bool SingleWord, bool LeftStrip, bool RightStrip, bool Normalized);
