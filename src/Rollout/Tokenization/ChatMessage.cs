namespace RlTrainer.Rollout.Tokenization;

/// <summary>One message of a chat prompt: its role ("system", "user", "assistant") and its text.</summary>
public sealed record ChatMessage(string Role, string Content);
