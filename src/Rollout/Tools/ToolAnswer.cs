namespace RlTrainer.Rollout.Tools;

/// <summary>What a tool returned: the text for the model, and whether the tool itself reported an error.</summary>
public sealed record ToolAnswer(string Text, bool IsError);
