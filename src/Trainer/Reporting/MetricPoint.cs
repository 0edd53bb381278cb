namespace RlTrainer.Trainer.Reporting;

/// <summary>One value of a metric at one training step.</summary>
public readonly record struct MetricPoint(int Step, double Value);
