namespace RlTrainer.Rewards.Verifiers;

/// <summary>An answer taken out of a completion: its raw text (still LaTeX) and how it was found.</summary>
public sealed record ExtractedAnswer(string Text, AnswerSource Source);
