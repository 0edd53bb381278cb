namespace RlTrainer.Trainer.Reporting;

/// <summary>A metrics.jsonl line the report could not use, by 1-based line number, and why.</summary>
public sealed record SkippedLine(int LineNumber, string Reason);
